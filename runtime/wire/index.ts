export * from './bookmark.js';
export * from './header-codec.js';
export * from './message.js';
export * from './tcp-framing.js';
export * from './ws-framing.js';
