import { resolve } from 'node:path';
import { AppError } from '../errors/app-error.js';
import {
  MONGO_READ_PREFERENCES,
  type AppConfig,
  type BackplaneConfig,
  type DatabaseConfig,
  type DatabaseLogin,
  type MigrationConfig,
  type MessageStoreConfig,
  type RabbitConfig,
  type RedisClusterConfig,
  type RedisConfig,
} from './app-config.js';
import { CLIENT_TOPIC_PATTERN_RULE, isClientTopicPattern } from './client-topic-pattern.js';
import { EnvReader, type Env } from './env-reader.js';

const MIN_HS256_SECRET_BYTES = 32;

/**
 * The only place that reads process.env. Every variable, its default and its meaning is
 * listed in docs/configuration.md; keep the two in step.
 */
export function loadConfig(env: Env = process.env): AppConfig {
  const read = new EnvReader(env);
  const mode = read.oneOf('NODE_ENV', ['development', 'production', 'test'] as const, 'development');
  const production = mode === 'production';
  const dataDir = resolve(read.string('DATA_DIR', './data'));

  const config: AppConfig = {
    mode,
    http: {
      host: read.string('HOST', '0.0.0.0'),
      port: read.int('PORT', 8080, 0, 65535),
      jsonBodyLimitBytes: read.int('HTTP_JSON_BODY_LIMIT_BYTES', 16_384, 1_024, 10_485_760),
      maxJsonDepth: read.int('HTTP_JSON_MAX_DEPTH', 32, 2, 1_000),
      opsPort: read.raw('OPS_PORT') === undefined ? undefined : read.int('OPS_PORT', 0, 0, 65535),
      headersTimeoutMs: read.int('HTTP_HEADERS_TIMEOUT_MS', 10_000, 100, 300_000),
      maxPendingPerAddress: read.int('HTTP_MAX_PENDING_PER_ADDRESS', 256, 0, 1_000_000),
      trustProxyHops: read.int('TRUST_PROXY', 0, 0, 10),
    },
    revocations: {
      pollIntervalMs: read.int('REVOCATION_POLL_INTERVAL_MS', 1_000, 50, 60_000),
      lookbackMs: read.int('REVOCATION_LOOKBACK_MS', 60_000, 1_000, 3_600_000),
      retentionMs: read.int('REVOCATION_RETENTION_MS', 3_600_000, 60_000, 30 * 86_400_000),
    },
    membershipCache: {
      maxEntries: read.int('MEMBERSHIP_CACHE_MAX_ENTRIES', 10_000, 0, 10_000_000),
      ttlMs: read.int('MEMBERSHIP_CACHE_TTL_MS', 30_000, 0, 3_600_000),
      negativeTtlMs: read.int('MEMBERSHIP_CACHE_NEGATIVE_TTL_MS', 5_000, 0, 3_600_000),
    },
    dataDir,
    backplane: readBackplane(read),
    messageStore: readMessageStore(read),
    messages: { storeTimeoutMs: read.int('MESSAGE_STORE_SEND_TIMEOUT_MS', 2_000, 50, 600_000) },
    persister: {
      batchSize: read.int('PERSISTER_BATCH_SIZE', 500, 1, 10_000),
      retryInitialMs: read.int('PERSISTER_RETRY_INITIAL_MS', 200, 1, 60_000),
      retryMaxMs: read.int('PERSISTER_RETRY_MAX_MS', 10_000, 1, 600_000),
      flushTimeoutMs: read.int('PERSISTER_FLUSH_TIMEOUT_MS', 10_000, 0, 600_000),
      lingerMs: read.int('PERSISTER_LINGER_MS', 100, 0, 10_000),
      claimIdleMs: read.int('PERSISTER_CLAIM_IDLE_MS', 30_000, 100, 3_600_000),
    },
    database: readDatabase(read, dataDir, production),
    auth: {
      devAcceptAny: read.bool('AUTH_DEV_ACCEPT_ANY', false),
      jwt: {
        algorithm: read.oneOf('JWT_ALGORITHM', ['HS256', 'RS256', 'ES256'] as const, 'HS256'),
        secret: read.optionalString('JWT_SECRET'),
        publicKey: read.optionalString('JWT_PUBLIC_KEY'),
        privateKey: read.optionalString('JWT_PRIVATE_KEY'),
        issuer: read.string('JWT_ISSUER', 'stomp-chat'),
        audience: read.string('JWT_AUDIENCE', 'stomp-chat-clients'),
        accessTtlSeconds: read.int('JWT_ACCESS_TTL_SECONDS', 900, 30, 86_400),
        refreshTtlSeconds: read.int('JWT_REFRESH_TTL_SECONDS', 30 * 86_400, 60, 365 * 86_400),
        clockToleranceSeconds: read.int('JWT_CLOCK_TOLERANCE_SECONDS', 5, 0, 300),
      },
      allowedOrigins: read.list('ALLOWED_ORIGINS') ?? '*',
      accessTokenDenyList: read.bool('ACCESS_TOKEN_DENYLIST', true),
      throttle: {
        accountFreeFailures: read.int('LOGIN_ACCOUNT_FREE_FAILURES', 5, 1, 1_000),
        addressFreeFailures: read.int('LOGIN_ADDRESS_FREE_FAILURES', 30, 1, 100_000),
        addressFreeRegistrations: read.int('REGISTER_ADDRESS_FREE_ATTEMPTS', 100, 1, 1_000_000),
        windowMs: read.int('LOGIN_THROTTLE_WINDOW_MS', 900_000, 1_000, 86_400_000),
        baseLockoutMs: read.int('LOGIN_LOCKOUT_BASE_MS', 1_000, 1, 3_600_000),
        maxLockoutMs: read.int('LOGIN_LOCKOUT_MAX_MS', 900_000, 1, 86_400_000),
      },
      hashing: {
        maxConcurrent: read.int('PASSWORD_HASH_CONCURRENCY', 2, 1, 64),
        maxQueued: read.int('PASSWORD_HASH_QUEUE', 64, 0, 100_000),
      },
    },
    stomp: {
      limits: {
        maxFrameBytes: read.int('STOMP_MAX_FRAME_BYTES', 65_536, 1_024, 16_777_216),
        maxBodyBytes: read.int('STOMP_MAX_BODY_BYTES', 65_536, 0, 16_777_216),
        maxHeaders: read.int('STOMP_MAX_HEADERS', 64, 8, 1_024),
        maxHeaderLineBytes: read.int('STOMP_MAX_HEADER_LINE_BYTES', 8_192, 256, 1_048_576),
      },
      maxSubscriptionsPerConnection: read.int('STOMP_MAX_SUBSCRIPTIONS', 100, 1, 100_000),
      sendRatePerSecond: read.int('STOMP_SEND_RATE_PER_SECOND', 200, 1, 1_000_000),
      sendBurst: read.int('STOMP_SEND_BURST', 400, 1, 1_000_000),
      userSendRatePerSecond: read.int('STOMP_USER_SEND_RATE_PER_SECOND', 50, 1, 1_000_000),
      userSendBurst: read.int('STOMP_USER_SEND_BURST', 100, 1, 1_000_000),
      maxOutboundBufferBytes: read.int('STOMP_MAX_OUTBOUND_BUFFER_BYTES', 1_048_576, 4_096, 1_073_741_824),
      maxUnackedPerSubscription: read.int('STOMP_MAX_UNACKED', 1_000, 1, 1_000_000),
      maxFramesPerTransaction: read.int('STOMP_MAX_TRANSACTION_FRAMES', 1_000, 1, 1_000_000),
      maxConnectionsPerUser: read.int('STOMP_MAX_CONNECTIONS_PER_USER', 20, 1, 100_000),
      connectTimeoutMs: read.int('STOMP_CONNECT_TIMEOUT_MS', 10_000, 100, 600_000),
      frameCompletionTimeoutMs: read.int('STOMP_FRAME_COMPLETION_TIMEOUT_MS', 30_000, 0, 3_600_000),
      sendTimeoutMs: read.int('STOMP_SEND_TIMEOUT_MS', 5_000, 100, 600_000),
      heartbeatSendMs: read.int('STOMP_HEARTBEAT_SEND_MS', 10_000, 0, 3_600_000),
      heartbeatReceiveMs: read.int('STOMP_HEARTBEAT_RECEIVE_MS', 10_000, 0, 3_600_000),
      heartbeatTolerance: read.int('STOMP_HEARTBEAT_TOLERANCE', 2, 1, 10),
      wsPingIntervalMs: read.int('WS_PING_INTERVAL_MS', 25_000, 0, 3_600_000),
      serverName: read.string('STOMP_SERVER_NAME', 'stomp-chat/0.1'),
      clientTopics: {
        patterns: read.list('STOMP_CLIENT_TOPICS') ?? [],
        maxBodyBytes: read.int('STOMP_CLIENT_TOPIC_MAX_BODY_BYTES', 65_536, 0, 16_777_216),
        ephemeral: read.bool('STOMP_CLIENT_TOPICS_EPHEMERAL', false),
      },
    },
    shutdown: {
      drainMs: read.int('SHUTDOWN_DRAIN_MS', 30_000, 0, 600_000),
      drainOnDeregistration: read.bool('DRAIN_ON_DEREGISTRATION', false),
      targetGroupArn: read.optionalString('TARGET_GROUP_ARN'),
      deregistrationPollMs: read.int('DRAIN_POLL_INTERVAL_MS', 5_000, 1_000, 600_000),
      healthCheckSilenceMs: read.int('DRAIN_HEALTH_CHECK_SILENCE_MS', 35_000, 1_000, 600_000),
      ecsMetadataUri: read.optionalString('ECS_CONTAINER_METADATA_URI_V4'),
    },
    presence: {
      heartbeatIntervalMs: read.int('PRESENCE_HEARTBEAT_INTERVAL_MS', 10_000, 100, 600_000),
      ttlMs: read.int('PRESENCE_TTL_MS', 30_000, 300, 3_600_000),
      offlineGraceMs: read.int('PRESENCE_OFFLINE_GRACE_MS', 5_000, 0, 600_000),
      sweepIntervalMs: read.int('PRESENCE_SWEEP_INTERVAL_MS', 1_000, 50, 600_000),
    },
    readMarkers: { flushIntervalMs: read.int('READ_MARKERS_FLUSH_INTERVAL_MS', 1_000, 10, 600_000) },
    log: {
      level: read.oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    },
    metrics: {
      serviceName: read.string('METRICS_SERVICE_NAME', 'stomp-chat'),
      emfIntervalMs: read.int('METRICS_EMF_INTERVAL_MS', production ? 60_000 : 0, 0, 3_600_000),
    },
  };

  checkCrossRules(read, config);
  if (read.errors.length > 0) {
    throw new AppError('CONFIG_INVALID', `Invalid configuration:\n  - ${read.errors.join('\n  - ')}`);
  }
  return config;
}

/**
 * The migration task's configuration: only the databases and the logins it provisions, so the
 * task needs neither the Redis token nor the JWT secret.
 */
export function loadMigrationConfig(env: Env = process.env): MigrationConfig {
  const read = new EnvReader(env);
  const production =
    read.oneOf('NODE_ENV', ['development', 'production', 'test'] as const, 'development') === 'production';
  const dataDir = resolve(read.string('DATA_DIR', './data'));
  const config: MigrationConfig = {
    database: readDatabase(read, dataDir, production),
    messageStore: readMessageStore(read),
    mysqlAdmin: readLogin(read, 'MYSQL_ADMIN_USER', 'MYSQL_ADMIN_PASSWORD'),
    mysqlApp: readLogin(read, 'MYSQL_APP_USER', 'MYSQL_APP_PASSWORD'),
    mongoAdmin: readLogin(read, 'MONGO_ADMIN_USERNAME', 'MONGO_ADMIN_PASSWORD'),
    mongoApp: readLogin(read, 'MONGO_APP_USERNAME', 'MONGO_APP_PASSWORD'),
  };
  if (config.mysqlApp !== undefined && config.mysqlAdmin === undefined) {
    read.problem('MYSQL_APP_USER: provisioning the app user needs MYSQL_ADMIN_USER and MYSQL_ADMIN_PASSWORD');
  }
  if (config.mongoApp !== undefined && config.mongoAdmin === undefined) {
    read.problem('MONGO_APP_USERNAME: provisioning the app user needs MONGO_ADMIN_USERNAME and MONGO_ADMIN_PASSWORD');
  }
  if (read.errors.length > 0) {
    throw new AppError('CONFIG_INVALID', `Invalid configuration:\n  - ${read.errors.join('\n  - ')}`);
  }
  return config;
}

function readLogin(read: EnvReader, userVariable: string, passwordVariable: string): DatabaseLogin | undefined {
  const user = read.optionalString(userVariable);
  const password = read.optionalString(passwordVariable);
  if (user === undefined && password === undefined) return undefined;
  if (user === undefined || password === undefined) {
    read.problem(`${userVariable}/${passwordVariable}: set both or neither`);
    return undefined;
  }
  return { user, password };
}

function readRedis(read: EnvReader): RedisConfig {
  return {
    url: read.url('REDIS_URL', ['redis', 'rediss']),
    host: read.string('REDIS_HOST', '127.0.0.1'),
    port: read.int('REDIS_PORT', 6379, 1, 65535),
    tls: read.bool('REDIS_TLS', false),
    username: read.optionalString('REDIS_USERNAME'),
    password: read.optionalString('REDIS_AUTH_TOKEN') ?? read.optionalString('REDIS_PASSWORD'),
    keyPrefix: read.string('REDIS_KEY_PREFIX', 'chat:'),
    commandTimeoutMs: read.int('REDIS_COMMAND_TIMEOUT_MS', 2_000, 50, 60_000),
    logMaxLength: read.int('REDIS_LOG_MAX_LENGTH', 1_000, 1, 10_000_000),
    receiptWaitReplicas: read.int('RECEIPT_WAIT_REPLICAS', 0, 0, 5),
    receiptWaitTimeoutMs: read.int('RECEIPT_WAIT_TIMEOUT_MS', 500, 1, 60_000),
    ...readRedisCluster(read),
  };
}

/** REDIS_CLUSTER=true (seed: the URL or host and port) or REDIS_CLUSTER_NODES=host:port,… */
function readRedisCluster(read: EnvReader): { cluster?: RedisClusterConfig } {
  const listed = read.list('REDIS_CLUSTER_NODES');
  if (!read.bool('REDIS_CLUSTER', listed !== undefined)) return {};
  const partitions = read.int('REDIS_CLUSTER_PARTITIONS', 16, 1, 256);
  const seeds = listed ?? [redisSeed(read)];
  const nodes = seeds.map((seed) => {
    const match = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(seed);
    if (match === null) read.problem(`REDIS_CLUSTER_NODES: expected host:port, got "${seed}"`);
    return { host: match?.[1] ?? seed, port: Number(match?.[2] ?? 6379) };
  });
  return { cluster: { nodes, partitions } };
}

function redisSeed(read: EnvReader): string {
  const url = read.raw('REDIS_URL');
  if (url) {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '6379'}`;
  }
  return `${read.string('REDIS_HOST', '127.0.0.1')}:${read.int('REDIS_PORT', 6379, 1, 65535)}`;
}

function readBackplane(read: EnvReader): BackplaneConfig {
  // Setting REDIS_URL alone is enough to move to Redis; BACKPLANE overrides either way.
  const fallback = read.raw('REDIS_URL') || read.raw('REDIS_HOST') ? 'redis' : 'local';
  const kind = read.oneOf('BACKPLANE', ['local', 'redis', 'rabbitmq'] as const, fallback);
  if (kind === 'rabbitmq') return { kind, redis: readRedis(read), rabbitmq: readRabbit(read) };
  return kind === 'redis' ? { kind, redis: readRedis(read) } : { kind };
}

function readRabbit(read: EnvReader): RabbitConfig {
  const url = read.url('RABBITMQ_URL', ['amqp', 'amqps']);
  if (read.raw('RABBITMQ_URL') === undefined) read.problem('BACKPLANE=rabbitmq needs RABBITMQ_URL');
  return {
    url: url ?? 'amqp://127.0.0.1:5672',
    username: read.optionalString('RABBITMQ_USERNAME'),
    password: read.optionalString('RABBITMQ_PASSWORD'),
    namePrefix: read.string('RABBITMQ_NAME_PREFIX', 'chat'),
    confirmTimeoutMs: read.int('RABBITMQ_CONFIRM_TIMEOUT_MS', 2_000, 50, 60_000),
    heartbeatSeconds: read.int('RABBITMQ_HEARTBEAT_SECONDS', 10, 1, 600),
  };
}

function readMessageStore(read: EnvReader): MessageStoreConfig {
  const fallback = read.raw('MONGO_URL') || read.raw('MONGO_HOST') ? 'mongo' : 'sql';
  const kind = read.oneOf('MESSAGE_STORE', ['sql', 'mongo'] as const, fallback);
  if (kind === 'sql') return { kind };
  if (read.raw('MONGO_URL') === undefined && read.raw('MONGO_HOST') === undefined) {
    read.problem('MESSAGE_STORE: mongo needs MONGO_URL or MONGO_HOST');
  }
  return {
    kind,
    mongo: {
      url: readMongoUrl(read),
      host: read.optionalString('MONGO_HOST'),
      port: read.int('MONGO_PORT', 27017, 1, 65535),
      database: read.string('MONGO_DATABASE', 'chat'),
      username: read.optionalString('MONGO_USERNAME'),
      password: read.optionalString('MONGO_PASSWORD'),
      tls: read.raw('MONGO_TLS') === undefined ? undefined : read.bool('MONGO_TLS', false),
      tlsCaFile: read.optionalString('MONGO_TLS_CA_FILE'),
      replicaSet: read.optionalString('MONGO_REPLICA_SET'),
      retryWrites: read.raw('MONGO_RETRY_WRITES') === undefined ? undefined : read.bool('MONGO_RETRY_WRITES', true),
      maxPoolSize:
        read.raw('MONGO_MAX_POOL_SIZE') === undefined ? undefined : read.int('MONGO_MAX_POOL_SIZE', 100, 1, 10_000),
      readPreference:
        read.raw('MONGO_READ_PREFERENCE') === undefined
          ? undefined
          : read.oneOf('MONGO_READ_PREFERENCE', MONGO_READ_PREFERENCES, 'primary'),
    },
  };
}

/** Checked by its scheme only: a replica set's seed list (`mongodb://h1:27017,h2:27017/db`) is no WHATWG URL. */
function readMongoUrl(read: EnvReader): string | undefined {
  const value = read.raw('MONGO_URL');
  if (value === undefined || /^mongodb(\+srv)?:\/\/[^/?#]+/.test(value)) return value;
  read.problem("MONGO_URL: expected a URL starting with mongodb:// or mongodb+srv://, got '<redacted>'");
  return undefined;
}

function readDatabase(read: EnvReader, dataDir: string, production: boolean): DatabaseConfig {
  const fallback = read.raw('MYSQL_URL') || read.raw('MYSQL_HOST') ? 'mysql' : 'sqlite';
  const kind = read.oneOf('DATABASE', ['sqlite', 'mysql'] as const, fallback);
  // Production MySQL is migrated once per deploy by a one-off task, never by racing tasks.
  const migrateOnStart = read.bool('DATABASE_MIGRATE_ON_START', kind === 'sqlite' || !production);
  if (kind === 'sqlite')
    return { kind, path: resolve(dataDir, read.string('SQLITE_FILE', 'chat.sqlite')), migrateOnStart };
  return {
    kind,
    migrateOnStart,
    mysql: {
      url: read.url('MYSQL_URL', ['mysql']),
      host: read.string('MYSQL_HOST', '127.0.0.1'),
      port: read.int('MYSQL_PORT', 3306, 1, 65535),
      user: read.string('MYSQL_USER', 'root'),
      password: read.string('MYSQL_PASSWORD', ''),
      database: read.string('MYSQL_DATABASE', 'chat'),
      tls: read.bool('MYSQL_TLS', false),
      tlsCaFile: read.optionalString('MYSQL_TLS_CA_FILE'),
    },
  };
}

function checkCrossRules(read: EnvReader, config: AppConfig): void {
  const redis = config.backplane.kind === 'redis' ? config.backplane.redis : undefined;
  if (redis !== undefined && redis.receiptWaitReplicas > 0 && redis.receiptWaitTimeoutMs >= redis.commandTimeoutMs) {
    // WAIT runs on the command connection: the command timeout would cut it off first.
    read.problem('RECEIPT_WAIT_TIMEOUT_MS: must be less than REDIS_COMMAND_TIMEOUT_MS');
  }
  checkClusterRules(read, config);
  if (config.mode === 'production') {
    if (config.auth.devAcceptAny) {
      read.problem('AUTH_DEV_ACCEPT_ANY: must be false when NODE_ENV=production (it lets anyone in)');
    }
    const { algorithm, secret, publicKey } = config.auth.jwt;
    if (algorithm === 'HS256' && (secret === undefined || Buffer.byteLength(secret) < MIN_HS256_SECRET_BYTES)) {
      read.problem(`JWT_SECRET: expected at least ${MIN_HS256_SECRET_BYTES} bytes when NODE_ENV=production`);
    }
    if (algorithm !== 'HS256' && publicKey === undefined) {
      read.problem(`JWT_PUBLIC_KEY: required for JWT_ALGORITHM=${algorithm}`);
    }
  }
  if (config.auth.jwt.secret !== undefined && Buffer.byteLength(config.auth.jwt.secret) < MIN_HS256_SECRET_BYTES) {
    read.problem(`JWT_SECRET: expected at least ${MIN_HS256_SECRET_BYTES} bytes`);
  }
  const { shutdown } = config;
  if (
    shutdown.drainOnDeregistration &&
    (shutdown.targetGroupArn === undefined || shutdown.ecsMetadataUri === undefined)
  ) {
    read.problem('DRAIN_ON_DEREGISTRATION: needs TARGET_GROUP_ARN and ECS_CONTAINER_METADATA_URI_V4 (set by ECS)');
  }
  // One missed heartbeat (a GC pause, a slow Redis reply) must not make an instance look dead.
  if (config.presence.ttlMs < 2 * config.presence.heartbeatIntervalMs) {
    read.problem('PRESENCE_TTL_MS: expected at least twice PRESENCE_HEARTBEAT_INTERVAL_MS');
  }
  const { opsPort, port } = config.http;
  if (opsPort !== undefined && opsPort !== 0 && opsPort === port) {
    read.problem('OPS_PORT: must differ from PORT (the ops routes leave the public port)');
  }
  if (config.persister.retryMaxMs < config.persister.retryInitialMs) {
    read.problem('PERSISTER_RETRY_MAX_MS: expected at least PERSISTER_RETRY_INITIAL_MS');
  }
  if (config.stomp.limits.maxBodyBytes > config.stomp.limits.maxFrameBytes) {
    read.problem('STOMP_MAX_BODY_BYTES: expected no more than STOMP_MAX_FRAME_BYTES');
  }
  for (const pattern of config.stomp.clientTopics.patterns) {
    if (!isClientTopicPattern(pattern)) {
      read.problem(`STOMP_CLIENT_TOPICS: '${pattern}' ${CLIENT_TOPIC_PATTERN_RULE}`);
    }
  }
  if (config.stomp.userSendBurst < config.stomp.userSendRatePerSecond) {
    read.problem('STOMP_USER_SEND_BURST: expected at least STOMP_USER_SEND_RATE_PER_SECOND');
  }
  if (config.stomp.sendBurst < config.stomp.sendRatePerSecond) {
    read.problem('STOMP_SEND_BURST: expected at least STOMP_SEND_RATE_PER_SECOND');
  }
}

/** What cluster mode does not do yet (docs/adr/0004-redis-cluster.md). */
function checkClusterRules(read: EnvReader, config: AppConfig): void {
  if (config.backplane.kind === 'local' || config.backplane.redis.cluster === undefined) return;
  if (config.backplane.kind === 'rabbitmq')
    read.problem('REDIS_CLUSTER: not supported with BACKPLANE=rabbitmq yet (use BACKPLANE=redis)');
}
