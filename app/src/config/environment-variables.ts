/**
 * The app's environment contract, written once: every variable the config loader reads, its
 * default, its range, its meaning, and how the CDK service stack hands it to the ECS tasks.
 * load-config.ts reads nothing unlisted and takes defaults and ranges from here; the service
 * stack and its test name the variables through it. Dependency-free, so the CDK app may import
 * it. docs/configuration.md explains the variables at length.
 */

/** How an ECS task gets a variable: a plain value, or injected from Secrets Manager. */
export type Delivery = 'plain' | 'secret';

export interface EnvironmentVariable {
  readonly meaning: string;
  /**
   * The value when unset. Absent: unset means "not configured", or the default is derived
   * from other variables (the meaning says how).
   */
  readonly default?: string | number | boolean;
  /** The accepted range of an integer, inclusive. */
  readonly range?: readonly [min: number, max: number];
  /** Set by the CDK service stack in the serving task and/or the migration task. */
  readonly ecs?: {
    readonly service?: Delivery;
    readonly migration?: Delivery;
    /** Only in such a stage; otherwise in every stage. */
    readonly only?: string;
  };
}

export const ENVIRONMENT_VARIABLES = {
  NODE_ENV: {
    meaning:
      '`development`, `production` or `test`; `production` refuses the development authenticator and weak JWT secrets',
    default: 'development',
    ecs: { service: 'plain', migration: 'plain' },
  },
  DATA_DIR: { meaning: "Embedded default's SQLite file and generated JWT secret", default: './data' },
  HOST: { meaning: 'HTTP and WebSocket listener (`PORT=0`: any free port)', default: '0.0.0.0' },
  PORT: {
    meaning: 'HTTP and WebSocket listener (`PORT=0`: any free port)',
    default: 8080,
    range: [0, 65535],
    ecs: { service: 'plain' },
  },
  HTTP_JSON_BODY_LIMIT_BYTES: {
    meaning: 'Largest REST request body (`413 PAYLOAD_TOO_LARGE`)',
    default: 16_384,
    range: [1_024, 10_485_760],
  },
  HTTP_JSON_MAX_DEPTH: {
    meaning: 'Deepest JSON nesting in a REST body (`400 JSON_TOO_DEEP`)',
    default: 32,
    range: [2, 1_000],
  },
  OPS_PORT: {
    meaning:
      'Serve `/metrics`, `/readyz`, `/docs` only on this port, 404 on `PORT` (CDK: 9090); must differ from `PORT`',
    range: [0, 65535],
    ecs: { service: 'plain' },
  },
  HTTP_HEADERS_TIMEOUT_MS: {
    meaning: 'Request heads (upgrades too) must arrive within this (`408`)',
    default: 10_000,
    range: [100, 300_000],
  },
  HTTP_MAX_PENDING_PER_ADDRESS: {
    meaning: 'Connections per client address whose first request head is unfinished (`429`); 0: off',
    default: 256,
    range: [0, 1_000_000],
  },
  TRUST_PROXY: {
    meaning:
      'Proxy hops believed in `X-Forwarded-For`, so `req.ip` is the client (CDK: 1, the ALB); see [doors.md](doors.md)',
    default: 0,
    range: [0, 10],
    ecs: { service: 'plain' },
  },
  REVOCATION_POLL_INTERVAL_MS: {
    meaning: 'How often each instance reads recent revocations from the database',
    default: 1_000,
    range: [50, 60_000],
  },
  REVOCATION_LOOKBACK_MS: {
    meaning: 'How far back each read reaches (more than clock skew plus slowest commit)',
    default: 60_000,
    range: [1_000, 3_600_000],
  },
  REVOCATION_RETENTION_MS: {
    meaning: 'Stored revocations older than this are deleted',
    default: 3_600_000,
    range: [60_000, 30 * 86_400_000],
  },
  MEMBERSHIP_CACHE_MAX_ENTRIES: {
    meaning: 'Per-instance membership cache; removals are relayed to every instance',
    default: 10_000,
    range: [0, 10_000_000],
  },
  MEMBERSHIP_CACHE_TTL_MS: {
    meaning: 'Per-instance membership cache; removals are relayed to every instance',
    default: 30_000,
    range: [0, 3_600_000],
  },
  MEMBERSHIP_CACHE_NEGATIVE_TTL_MS: {
    meaning: 'Per-instance membership cache; removals are relayed to every instance',
    default: 5_000,
    range: [0, 3_600_000],
  },
  MESSAGE_STORE_SEND_TIMEOUT_MS: {
    meaning:
      "Bound on the store read a SEND may need (a room's sequence floor after Redis lost it): past it, `MESSAGE_STORE_UNAVAILABLE`",
    default: 2_000,
    range: [50, 600_000],
  },
  PERSISTER_BATCH_SIZE: {
    meaning: 'Persist queue entries read and written per batch (1–10000)',
    default: 500,
    range: [1, 10_000],
  },
  PERSISTER_RETRY_INITIAL_MS: {
    meaning: 'Wait after a failed store write, doubled per failure with jitter…',
    default: 200,
    range: [1, 60_000],
  },
  PERSISTER_RETRY_MAX_MS: {
    meaning: '…up to this (at least `PERSISTER_RETRY_INITIAL_MS`)',
    default: 10_000,
    range: [1, 600_000],
  },
  PERSISTER_FLUSH_TIMEOUT_MS: {
    meaning: 'How long the shutdown flush may spend writing what is queued',
    default: 10_000,
    range: [0, 600_000],
  },
  PERSISTER_LINGER_MS: {
    meaning: 'After a batch smaller than `PERSISTER_BATCH_SIZE`, wait this long before reading again',
    default: 100,
    range: [0, 10_000],
  },
  PERSISTER_CLAIM_IDLE_MS: {
    meaning:
      'A queue entry read and not acknowledged this long is handed to a persister again (its instance died, or an outage swallowed the reply)',
    default: 30_000,
    range: [100, 3_600_000],
  },
  AUTH_DEV_ACCEPT_ANY: {
    meaning: 'Any `login` connects without a password (benchmarks, tests). Refused when `NODE_ENV=production`',
    default: false,
  },
  JWT_ALGORITHM: { meaning: '`HS256`, `RS256` or `ES256`; the only algorithm accepted', default: 'HS256' },
  JWT_SECRET: {
    meaning:
      'HS256 key, at least 32 bytes; without it, 48 random bytes go to `<DATA_DIR>/jwt-secret` (production refuses to start)',
    ecs: { service: 'secret' },
  },
  JWT_PUBLIC_KEY: { meaning: 'RS256/ES256 verification key (production refuses to start without it)' },
  JWT_PRIVATE_KEY: { meaning: 'RS256/ES256 signing key, to issue tokens' },
  JWT_ISSUER: { meaning: '`iss` and `aud` issued and required', default: 'stomp-chat' },
  JWT_AUDIENCE: { meaning: '`iss` and `aud` issued and required', default: 'stomp-chat-clients' },
  JWT_ACCESS_TTL_SECONDS: { meaning: 'Access token lifetime', default: 900, range: [30, 86_400] },
  JWT_REFRESH_TTL_SECONDS: { meaning: 'Refresh token lifetime', default: 30 * 86_400, range: [60, 365 * 86_400] },
  JWT_CLOCK_TOLERANCE_SECONDS: { meaning: 'Slack when checking `exp` and `nbf`', default: 5, range: [0, 300] },
  ALLOWED_ORIGINS: {
    meaning: 'Comma-separated browser origins allowed to open `/ws`',
    ecs: { service: 'plain', only: 'a stage with allowedOrigins' },
  },
  ACCESS_TOKEN_DENYLIST: {
    meaning:
      "After logout, the login's access tokens are refused (`AUTH_REVOKED`) on every instance until they expire; see [doors.md](doors.md)",
    default: true,
  },
  LOGIN_ACCOUNT_FREE_FAILURES: {
    meaning: 'Wrong passwords per account before a lockout',
    default: 5,
    range: [1, 1_000],
  },
  LOGIN_ADDRESS_FREE_FAILURES: {
    meaning: 'Failed logins per client address before a lockout',
    default: 30,
    range: [1, 100_000],
  },
  REGISTER_ADDRESS_FREE_ATTEMPTS: {
    meaning: 'Registrations per client address before a lockout',
    default: 100,
    range: [1, 1_000_000],
  },
  LOGIN_THROTTLE_WINDOW_MS: {
    meaning: 'A key with no lockout running is forgotten after this',
    default: 900_000,
    range: [1_000, 86_400_000],
  },
  LOGIN_LOCKOUT_BASE_MS: {
    meaning: 'First lockout; each further failure while over the limit doubles it',
    default: 1_000,
    range: [1, 3_600_000],
  },
  LOGIN_LOCKOUT_MAX_MS: { meaning: 'Longest lockout', default: 900_000, range: [1, 86_400_000] },
  PASSWORD_HASH_CONCURRENCY: { meaning: 'scrypt runs at once', default: 2, range: [1, 64] },
  PASSWORD_HASH_QUEUE: { meaning: 'Hashes waiting; beyond, `503 LIMIT_BUSY`', default: 64, range: [0, 100_000] },
  STOMP_MAX_FRAME_BYTES: { meaning: 'Largest frame', default: 65_536, range: [1_024, 16_777_216] },
  STOMP_MAX_BODY_BYTES: {
    meaning: 'Largest body (no more than `STOMP_MAX_FRAME_BYTES`)',
    default: 65_536,
    range: [0, 16_777_216],
  },
  STOMP_MAX_HEADERS: { meaning: 'Headers per frame', default: 64, range: [8, 1_024] },
  STOMP_MAX_HEADER_LINE_BYTES: { meaning: 'Longest header line', default: 8_192, range: [256, 1_048_576] },
  STOMP_MAX_SUBSCRIPTIONS: { meaning: 'Subscriptions per connection', default: 100, range: [1, 100_000] },
  STOMP_SEND_RATE_PER_SECOND: { meaning: 'Sustained SEND rate per connection', default: 200, range: [1, 1_000_000] },
  STOMP_SEND_BURST: { meaning: 'Burst per connection (at least the rate)', default: 400, range: [1, 1_000_000] },
  STOMP_USER_SEND_RATE_PER_SECOND: {
    meaning: 'Sustained SEND rate per user, all connections',
    default: 50,
    range: [1, 1_000_000],
  },
  STOMP_USER_SEND_BURST: { meaning: 'Burst per user (at least the rate)', default: 100, range: [1, 1_000_000] },
  STOMP_MAX_OUTBOUND_BUFFER_BYTES: {
    meaning: 'Bytes queued to a slow reader',
    default: 1_048_576,
    range: [4_096, 1_073_741_824],
  },
  STOMP_MAX_UNACKED: { meaning: 'Unacknowledged messages per subscription', default: 1_000, range: [1, 1_000_000] },
  STOMP_MAX_TRANSACTION_FRAMES: { meaning: 'Frames held in one transaction', default: 1_000, range: [1, 1_000_000] },
  STOMP_MAX_CONNECTIONS_PER_USER: { meaning: 'Connections per user, per instance', default: 20, range: [1, 100_000] },
  STOMP_CONNECT_TIMEOUT_MS: { meaning: 'Time to send CONNECT', default: 10_000, range: [100, 600_000] },
  STOMP_FRAME_COMPLETION_TIMEOUT_MS: {
    meaning: 'A frame begun must end within this; 0: off',
    default: 30_000,
    range: [0, 3_600_000],
  },
  STOMP_SEND_TIMEOUT_MS: {
    meaning: 'Bound on carrying out one SEND (authorization, store, Redis): past it, `SEND_TIMEOUT`',
    default: 5_000,
    range: [100, 600_000],
  },
  STOMP_HEARTBEAT_SEND_MS: {
    meaning: 'Heart-beats the server offers to send (0: none)',
    default: 10_000,
    range: [0, 3_600_000],
  },
  STOMP_HEARTBEAT_RECEIVE_MS: {
    meaning: 'Heart-beats the server asks for (0: none)',
    default: 10_000,
    range: [0, 3_600_000],
  },
  STOMP_HEARTBEAT_TOLERANCE: {
    meaning: 'A client silent for its interval × this is closed',
    default: 2,
    range: [1, 10],
  },
  WS_PING_INTERVAL_MS: {
    meaning: 'WebSocket pings that keep idle connections alive through load balancers',
    default: 25_000,
    range: [0, 3_600_000],
  },
  STOMP_SERVER_NAME: { meaning: "CONNECTED's `server` header", default: 'stomp-chat/0.1' },
  STOMP_CLIENT_TOPICS: {
    meaning: 'Comma-separated `/topic/…` patterns (trailing `**` only) clients may SEND to directly',
    ecs: { service: 'plain', only: 'a stage that opens client topics' },
  },
  STOMP_CLIENT_TOPIC_MAX_BODY_BYTES: {
    meaning: 'Largest body on a client topic',
    default: 65_536,
    range: [0, 16_777_216],
    ecs: { service: 'plain', only: 'a stage that opens client topics' },
  },
  STOMP_CLIENT_TOPICS_EPHEMERAL: {
    meaning: 'Keep nothing of client topics for replay',
    default: false,
    ecs: { service: 'plain', only: 'a stage that opens client topics' },
  },
  STOMP_CLIENT_TOPIC_RETENTION_MS: {
    meaning: "A kept client topic's counter and replay log expire this long after its last message",
    default: 86_400_000,
    range: [1_000, 31_536_000_000],
    ecs: { service: 'plain', only: 'a stage that opens client topics' },
  },
  SHUTDOWN_DRAIN_MS: {
    meaning: 'Drain window: sessions are closed over its first half',
    default: 30_000,
    range: [0, 600_000],
    ecs: { service: 'plain' },
  },
  DRAIN_ON_DEREGISTRATION: {
    meaning: 'On ECS: start draining when the ALB deregisters this task',
    default: false,
    ecs: { service: 'plain' },
  },
  TARGET_GROUP_ARN: {
    meaning: "The service's target group (needed with `DRAIN_ON_DEREGISTRATION`)",
    ecs: { service: 'plain' },
  },
  DRAIN_POLL_INTERVAL_MS: {
    meaning: 'How often the task checks; it calls `DescribeTargetHealth` only while health checks are silent',
    default: 5_000,
    range: [1_000, 600_000],
  },
  DRAIN_HEALTH_CHECK_SILENCE_MS: {
    meaning: "How long the ALB's health checks must be silent before asking",
    default: 35_000,
    range: [1_000, 600_000],
    ecs: { service: 'plain' },
  },
  ECS_CONTAINER_METADATA_URI_V4: {
    meaning: 'Where the task learns its own address (needed with `DRAIN_ON_DEREGISTRATION`)',
  },
  PRESENCE_HEARTBEAT_INTERVAL_MS: {
    meaning: 'How often an instance refreshes its liveness in the presence registry',
    default: 10_000,
    range: [100, 600_000],
  },
  PRESENCE_TTL_MS: {
    meaning:
      "An instance that stopped beating is dead, and its users' sessions gone, this long after its last heartbeat (at least twice the heartbeat interval)",
    default: 30_000,
    range: [300, 3_600_000],
  },
  PRESENCE_OFFLINE_GRACE_MS: {
    meaning: 'A user is announced offline only after their last session has been gone this long',
    default: 5_000,
    range: [0, 600_000],
  },
  PRESENCE_SWEEP_INTERVAL_MS: {
    meaning: 'How often each instance looks for dead instances and ended grace periods',
    default: 1_000,
    range: [50, 600_000],
  },
  READ_MARKERS_FLUSH_INTERVAL_MS: {
    meaning: 'How often buffered read markers are written to the database (and on shutdown)',
    default: 1_000,
    range: [10, 600_000],
  },
  LOG_LEVEL: {
    meaning: 'pino level: `fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`; logs are JSON on stdout',
    default: 'info',
  },
  METRICS_SERVICE_NAME: {
    meaning: 'Service name of the CloudWatch embedded metric `ActiveConnections`',
    default: 'stomp-chat',
    ecs: { service: 'plain' },
  },
  METRICS_EMF_INTERVAL_MS: { meaning: 'How often that metric is logged (0: off)', range: [0, 3_600_000] },
  REDIS_URL: {
    meaning:
      '`redis://` or `rediss://` (TLS) URL; its host, port, credentials and database win over the variables below',
  },
  REDIS_HOST: {
    meaning: 'Redis / ElastiCache endpoint when there is no URL',
    default: '127.0.0.1',
    ecs: { service: 'plain' },
  },
  REDIS_PORT: {
    meaning: 'Redis / ElastiCache endpoint when there is no URL',
    default: 6379,
    range: [1, 65535],
    ecs: { service: 'plain' },
  },
  REDIS_TLS: { meaning: 'TLS to Redis', default: false, ecs: { service: 'plain' } },
  REDIS_CLUSTER: {
    meaning: 'Redis Cluster mode (ElastiCache cluster mode): the URL or host and port is the seed node',
    default: false,
    ecs: { service: 'plain', only: 'a stage with redis.shards' },
  },
  REDIS_CLUSTER_NODES: {
    meaning: 'Seed nodes `host:port,…`; setting it turns cluster mode on',
  },
  REDIS_CLUSTER_PARTITIONS: {
    meaning: 'Hash-tag partitions destinations and the persist hand-off are spread over (cluster mode; keep it fixed)',
    default: 16,
    range: [1, 256],
  },
  REDIS_USERNAME: { meaning: 'ACL user' },
  REDIS_AUTH_TOKEN: {
    meaning: 'Password or ElastiCache auth token; `REDIS_PASSWORD` is read when it is unset',
    ecs: { service: 'secret' },
  },
  REDIS_PASSWORD: { meaning: 'Redis password, read when REDIS_AUTH_TOKEN is not set' },
  REDIS_KEY_PREFIX: { meaning: 'Prefix of every key and channel', default: 'chat:' },
  REDIS_COMMAND_TIMEOUT_MS: {
    meaning: 'Bound on every Redis command, and on how long publish/subscribe/ping wait for a connection',
    default: 2_000,
    range: [50, 60_000],
  },
  REDIS_LOG_MAX_LENGTH: {
    meaning: 'Replay log length per destination (resume and recent history)',
    default: 1_000,
    range: [1, 10_000_000],
  },
  RECEIPT_WAIT_REPLICAS: {
    meaning:
      'Receipts wait until this many Redis replicas hold the message (WAIT; prod stage: 1); past the timeout the SEND gets `BACKPLANE_UNREPLICATED` ([guarantees.md](guarantees.md))',
    default: 0,
    range: [0, 5],
    ecs: { service: 'plain', only: 'a stage whose receipts wait for replicas (prod)' },
  },
  RECEIPT_WAIT_TIMEOUT_MS: {
    meaning:
      'Receipts wait until this many Redis replicas hold the message (WAIT; prod stage: 1); past the timeout the SEND gets `BACKPLANE_UNREPLICATED` ([guarantees.md](guarantees.md))',
    default: 500,
    range: [1, 60_000],
    ecs: { service: 'plain', only: 'a stage whose receipts wait for replicas (prod)' },
  },
  BACKPLANE: { meaning: '`local` (one process only), `redis` or `rabbitmq`', ecs: { service: 'plain' } },
  RABBITMQ_URL: {
    meaning: '`amqp://user:pass@host:5672/vhost` or `amqps://…:5671` (Amazon MQ)',
    ecs: { service: 'plain', only: 'a stage on Amazon MQ' },
  },
  RABBITMQ_USERNAME: {
    meaning: 'Credentials given apart from the URL (Secrets Manager)',
    ecs: { service: 'secret', only: 'a stage on Amazon MQ' },
  },
  RABBITMQ_PASSWORD: {
    meaning: 'Credentials given apart from the URL (Secrets Manager)',
    ecs: { service: 'secret', only: 'a stage on Amazon MQ' },
  },
  RABBITMQ_NAME_PREFIX: { meaning: 'Prefix of every exchange and queue', default: 'chat' },
  RABBITMQ_CONFIRM_TIMEOUT_MS: {
    meaning: 'Longest wait for a publisher confirm before a SEND fails',
    default: 2_000,
    range: [50, 60_000],
  },
  RABBITMQ_HEARTBEAT_SECONDS: {
    meaning: 'AMQP heartbeat (how fast a dead connection is noticed)',
    default: 10,
    range: [1, 600],
  },
  MONGO_URL: { meaning: '`mongodb://` (a seed list is fine) or `mongodb+srv://`' },
  MONGO_HOST: {
    meaning: 'MongoDB / DocumentDB endpoint when there is no URL',
    ecs: { service: 'plain', migration: 'plain' },
  },
  MESSAGE_STORE: {
    meaning: '`sql` (the relational database) or `mongo`; `mongo` needs `MONGO_URL` or `MONGO_HOST`',
    ecs: { service: 'plain', migration: 'plain' },
  },
  MONGO_PORT: {
    meaning: 'MongoDB / DocumentDB endpoint when there is no URL',
    default: 27017,
    range: [1, 65535],
    ecs: { service: 'plain', migration: 'plain' },
  },
  MONGO_DATABASE: { meaning: 'Database, when the URL names none', default: 'chat' },
  MONGO_USERNAME: { meaning: 'Credentials (authenticated against `admin` with host/port)', ecs: { service: 'secret' } },
  MONGO_PASSWORD: { meaning: 'Credentials (authenticated against `admin` with host/port)', ecs: { service: 'secret' } },
  MONGO_TLS: { meaning: 'TLS, and the CA bundle that verifies the server (DocumentDB: the RDS bundle)' },
  MONGO_TLS_CA_FILE: {
    meaning: 'TLS, and the CA bundle that verifies the server (DocumentDB: the RDS bundle)',
    ecs: { service: 'plain', migration: 'plain' },
  },
  MONGO_REPLICA_SET: { meaning: 'DocumentDB: `rs0`', ecs: { service: 'plain', migration: 'plain' } },
  MONGO_RETRY_WRITES: {
    meaning: 'DocumentDB: `false` (it has no retryable writes)',
    ecs: { service: 'plain', migration: 'plain' },
  },
  MONGO_MAX_POOL_SIZE: {
    meaning: 'Connections per server; CDK sizes it to the DocumentDB limit ([deploy.md](deploy.md#connection-budget))',
    range: [1, 10_000],
    ecs: { service: 'plain' },
  },
  MONGO_READ_PREFERENCE: {
    meaning:
      '`primary`, `primaryPreferred`, `secondary`, `secondaryPreferred`, `nearest`; DocumentDB: `secondaryPreferred`',
    ecs: { service: 'plain', migration: 'plain' },
  },
  MYSQL_URL: { meaning: '`mysql://user:password@host:port/database`' },
  MYSQL_HOST: {
    meaning: 'MySQL / RDS when there is no URL',
    default: '127.0.0.1',
    ecs: { service: 'plain', migration: 'plain' },
  },
  DATABASE: { meaning: '`sqlite` or `mysql` (MySQL 8 / MariaDB 10.11)' },
  DATABASE_MIGRATE_ON_START: {
    meaning:
      'Apply migrations at start-up; production runs `node dist/app/src/database/migrate.js` once per deploy instead',
  },
  SQLITE_FILE: { meaning: 'SQLite file name, under `DATA_DIR`', default: 'chat.sqlite' },
  MYSQL_PORT: {
    meaning: 'MySQL / RDS when there is no URL',
    default: 3306,
    range: [1, 65535],
    ecs: { service: 'plain', migration: 'plain' },
  },
  MYSQL_USER: {
    meaning: 'MySQL / RDS when there is no URL',
    default: 'root',
    ecs: { service: 'secret', migration: 'secret' },
  },
  MYSQL_PASSWORD: {
    meaning: 'MySQL / RDS when there is no URL',
    default: '',
    ecs: { service: 'secret', migration: 'secret' },
  },
  MYSQL_DATABASE: {
    meaning: 'MySQL / RDS when there is no URL',
    default: 'chat',
    ecs: { service: 'plain', migration: 'plain' },
  },
  MYSQL_TLS: {
    meaning: 'TLS and the CA bundle that verifies the server (RDS requires TLS)',
    default: false,
    ecs: { service: 'plain', migration: 'plain' },
  },
  MYSQL_TLS_CA_FILE: {
    meaning: 'TLS and the CA bundle that verifies the server (RDS requires TLS)',
    ecs: { service: 'plain', migration: 'plain' },
  },
  MYSQL_ADMIN_USER: { meaning: 'Migration task only: MySQL master login (user)', ecs: { migration: 'secret' } },
  MYSQL_ADMIN_PASSWORD: { meaning: 'Migration task only: MySQL master login (password)', ecs: { migration: 'secret' } },
  MYSQL_APP_USER: {
    meaning: 'Migration task only: MySQL login the service uses, to provision (user)',
    ecs: { migration: 'secret' },
  },
  MYSQL_APP_PASSWORD: {
    meaning: 'Migration task only: MySQL login the service uses, to provision (password)',
    ecs: { migration: 'secret' },
  },
  MONGO_ADMIN_USERNAME: {
    meaning: 'Migration task only: MongoDB/DocumentDB master login (user)',
    ecs: { migration: 'secret' },
  },
  MONGO_ADMIN_PASSWORD: {
    meaning: 'Migration task only: MongoDB/DocumentDB master login (password)',
    ecs: { migration: 'secret' },
  },
  MONGO_APP_USERNAME: {
    meaning: 'Migration task only: MongoDB/DocumentDB login the service uses, to provision (user)',
    ecs: { migration: 'secret' },
  },
  MONGO_APP_PASSWORD: {
    meaning: 'Migration task only: MongoDB/DocumentDB login the service uses, to provision (password)',
    ecs: { migration: 'secret' },
  },
} as const satisfies Record<string, EnvironmentVariable>;

export type EnvironmentVariableName = keyof typeof ENVIRONMENT_VARIABLES;

/** Values by variable name (plain strings, or the CDK's secrets): a name the app does not read fails to compile. */
export type EnvironmentValues<Value = string> = { readonly [Name in EnvironmentVariableName]?: Value };

/** What the stack sets in one task, delivered one way; `always`: only what every stage sets. */
export function ecsVariables(
  task: 'service' | 'migration',
  delivery: Delivery,
  which: 'always' | 'all' = 'all',
): EnvironmentVariableName[] {
  return (Object.entries(ENVIRONMENT_VARIABLES) as [EnvironmentVariableName, EnvironmentVariable][])
    .filter(([, variable]) => variable.ecs?.[task] === delivery && (which === 'all' || variable.ecs.only === undefined))
    .map(([name]) => name);
}
