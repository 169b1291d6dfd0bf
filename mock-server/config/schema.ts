// JSON Schema of the mock server configuration (YAML file or object), validated with ajv.
//
// The shape follows AMPS configuration concepts: an instance name, transports, message types, SOW topics with
// key fields and expiration, the transaction log (topic regexes), queues over underlying topics, and users.

const duration = {
  description: 'A duration: seconds as a number, or a string such as `500ms`, `30s`, `5m`, `1h`, `1d`.',
  anyOf: [
    { type: 'number', minimum: 0 },
    { type: 'string', pattern: '^\\s*\\d+(\\.\\d+)?\\s*(ms|s|m|h|d)?\\s*$' },
  ],
} as const;

const size = {
  description: 'A byte size: a number, or a string such as `64KB`, `16MB`, `1GB`.',
  anyOf: [
    { type: 'integer', minimum: 1 },
    { type: 'string', pattern: '^\\s*\\d+\\s*(B|KB|MB|GB|KiB|MiB|GiB)?\\s*$' },
  ],
} as const;

export const MOCK_CONFIG_SCHEMA = {
  $id: 'https://amps-ts/mock-server/config.json',
  title: 'amps-ts mock server configuration',
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, description: 'Instance name (AMPS <Name>).' },
    version: {
      type: 'string',
      pattern: '^\\d+\\.\\d+\\.\\d+\\.\\d+',
      description: 'Server version reported in logon acks (clients parse the first four parts).',
    },
    transports: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['type'],
        properties: {
          name: { type: 'string', minLength: 1 },
          type: { enum: ['tcp', 'websocket'] },
          host: { type: 'string', minLength: 1, description: 'Interface to bind; default 127.0.0.1.' },
          port: { type: 'integer', minimum: 0, maximum: 65535, description: '0 = a free port.' },
          messageType: { type: 'string', minLength: 1, description: 'Default message type of the transport.' },
        },
      },
    },
    messageTypes: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { type: 'string', minLength: 1 },
      description: 'Message types served (the URI path /amps/<type>).',
    },
    maxFrameBytes: { ...size, description: 'Largest accepted client frame; larger closes that connection.' },
    maxBatchSize: { type: 'integer', minimum: 1, description: 'Largest accepted sow batch size (AMPS: 10000).' },
    dataDirectory: { type: 'string', minLength: 1, description: 'Directory for on-disk state (optional).' },
    authentication: {
      type: 'object',
      additionalProperties: false,
      properties: {
        users: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['user', 'password'],
            properties: { user: { type: 'string', minLength: 1 }, password: { type: 'string' } },
          },
          description: 'Accepted users; empty or absent = anonymous logons allowed.',
        },
        reason: {
          enum: ['auth failure', 'authentication failure'],
          description: 'Reason sent on a rejected logon.',
        },
      },
    },
    logon: {
      type: 'object',
      additionalProperties: false,
      properties: {
        nameInUse: {
          enum: ['reject', 'replace'],
          description:
            'With a transaction log, a second live connection with the same client name is rejected with ' +
            '`name in use` (reject, default) or replaces the old connection (replace).',
        },
      },
    },
    heartbeat: {
      type: 'object',
      additionalProperties: false,
      properties: {
        disconnectAfter: {
          type: 'number',
          minimum: 1,
          description: 'Missed-heartbeat factor: close after this many intervals of client silence (default 2).',
        },
      },
    },
    ackConflation: { ...duration, description: 'Interval of conflated publish `persisted` acks (default 0 = at once).' },
    persistedAckInterval: {
      ...duration,
      description: 'Interval of periodic `persisted` acks to bookmark subscriptions that asked for them (default 1s).',
    },
    sow: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['topic'],
        properties: {
          topic: { type: 'string', minLength: 1 },
          key: {
            type: 'array',
            items: { type: 'string', pattern: '^/' },
            description: 'Key fields (XPath-like, e.g. /id); absent or empty = keys supplied by publishers (`k`).',
          },
          expiration: { ...duration, description: 'Default record lifetime; enables per-message `e`.' },
          historical: {
            type: 'boolean',
            description: 'Historical queries: a `bm` (bookmark or timestamp) on sow returns the state as of then.',
          },
          messageType: { type: 'string', minLength: 1 },
        },
      },
    },
    transactionLog: {
      type: 'object',
      additionalProperties: false,
      properties: {
        topics: {
          type: 'array',
          items: { type: 'string', minLength: 1 },
          description: 'Regexes of recorded topics (anchored); `.*` records everything.',
        },
      },
    },
    queues: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: {
          name: { type: 'string', minLength: 1, description: 'The queue topic subscribers use.' },
          underlyingTopic: {
            type: 'string',
            minLength: 1,
            description: 'Topic (regex) whose publishes feed the queue; default the queue name.',
          },
          semantics: { enum: ['at-least-once', 'at-most-once'] },
          leasePeriod: duration,
          maxPerSubscriptionBacklog: { type: 'integer', minimum: 1 },
          maxCancels: { type: 'integer', minimum: 1 },
          maxDeliveries: { type: 'integer', minimum: 1 },
          expiration: { ...duration, description: 'Message time-to-live in the queue (then expired, reason time_limit).' },
          messageType: { type: 'string', minLength: 1 },
        },
      },
    },
  },
} as const;
