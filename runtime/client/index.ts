export { Client, CLIENT_VERSION, LOGON_VERSION, versionNumber, type ConnectionStateListener } from './client.js';
export { DefaultAuthenticator, type Authenticator } from './authenticator.js';
export { Message, type AckOption } from './message.js';
export { MessageStream, MessageStreamOverflowException, type OverflowPolicy } from './message-stream.js';
export { QUEUE_ACK_COMMAND_ID } from './queue-acks.js';
export type {
  ClientBookmarkStore,
  ClientPublishStore,
  CommandLike,
  CommonParams,
  ConnectOptions,
  DisconnectHandler,
  ExceptionListener,
  ExecuteOptions,
  FailedWriteHandler,
  LogonParams,
  MessageData,
  MessageHandler,
  PublishParams,
  SowAndSubscribeParams,
  SowParams,
  SubscribeParams,
  SubscriptionManager,
  TransportFilter,
} from './types.js';
