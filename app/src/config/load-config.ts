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
import type { EnvironmentVariableName } from './environment-variables.js';

const MIN_HS256_SECRET_BYTES = 32;

/**
 * The only place that reads process.env. Every variable, its default, range and meaning is
 * listed in environment-variables.ts (docs/configuration.md explains them); keep the docs in step.
 */
export function loadConfig(env: Env = process.env): AppConfig {
  const read = new EnvReader(env);
  const mode = read.oneOf('NODE_ENV', ['development', 'production', 'test'] as const);
  const production = mode === 'production';
  const dataDir = resolve(read.string('DATA_DIR'));

  const config: AppConfig = {
    mode,
    http: {
      host: read.string('HOST'),
      port: read.int('PORT'),
      jsonBodyLimitBytes: read.int('HTTP_JSON_BODY_LIMIT_BYTES'),
      maxJsonDepth: read.int('HTTP_JSON_MAX_DEPTH'),
      opsPort: read.raw('OPS_PORT') === undefined ? undefined : read.int('OPS_PORT', 0),
      headersTimeoutMs: read.int('HTTP_HEADERS_TIMEOUT_MS'),
      maxPendingPerAddress: read.int('HTTP_MAX_PENDING_PER_ADDRESS'),
      trustProxyHops: read.int('TRUST_PROXY'),
    },
    revocations: {
      pollIntervalMs: read.int('REVOCATION_POLL_INTERVAL_MS'),
      lookbackMs: read.int('REVOCATION_LOOKBACK_MS'),
      retentionMs: read.int('REVOCATION_RETENTION_MS'),
    },
    membershipCache: {
      maxEntries: read.int('MEMBERSHIP_CACHE_MAX_ENTRIES'),
      ttlMs: read.int('MEMBERSHIP_CACHE_TTL_MS'),
      negativeTtlMs: read.int('MEMBERSHIP_CACHE_NEGATIVE_TTL_MS'),
    },
    dataDir,
    backplane: readBackplane(read),
    messageStore: readMessageStore(read),
    messages: { storeTimeoutMs: read.int('MESSAGE_STORE_SEND_TIMEOUT_MS') },
    persister: {
      batchSize: read.int('PERSISTER_BATCH_SIZE'),
      retryInitialMs: read.int('PERSISTER_RETRY_INITIAL_MS'),
      retryMaxMs: read.int('PERSISTER_RETRY_MAX_MS'),
      flushTimeoutMs: read.int('PERSISTER_FLUSH_TIMEOUT_MS'),
      lingerMs: read.int('PERSISTER_LINGER_MS'),
      claimIdleMs: read.int('PERSISTER_CLAIM_IDLE_MS'),
    },
    database: readDatabase(read, dataDir, production),
    auth: {
      devAcceptAny: read.bool('AUTH_DEV_ACCEPT_ANY'),
      jwt: {
        algorithm: read.oneOf('JWT_ALGORITHM', ['HS256', 'RS256', 'ES256'] as const),
        secret: read.optionalString('JWT_SECRET'),
        publicKey: read.optionalString('JWT_PUBLIC_KEY'),
        privateKey: read.optionalString('JWT_PRIVATE_KEY'),
        issuer: read.string('JWT_ISSUER'),
        audience: read.string('JWT_AUDIENCE'),
        accessTtlSeconds: read.int('JWT_ACCESS_TTL_SECONDS'),
        refreshTtlSeconds: read.int('JWT_REFRESH_TTL_SECONDS'),
        clockToleranceSeconds: read.int('JWT_CLOCK_TOLERANCE_SECONDS'),
      },
      allowedOrigins: read.list('ALLOWED_ORIGINS') ?? '*',
      accessTokenDenyList: read.bool('ACCESS_TOKEN_DENYLIST'),
      throttle: {
        accountFreeFailures: read.int('LOGIN_ACCOUNT_FREE_FAILURES'),
        addressFreeFailures: read.int('LOGIN_ADDRESS_FREE_FAILURES'),
        addressFreeRegistrations: read.int('REGISTER_ADDRESS_FREE_ATTEMPTS'),
        windowMs: read.int('LOGIN_THROTTLE_WINDOW_MS'),
        baseLockoutMs: read.int('LOGIN_LOCKOUT_BASE_MS'),
        maxLockoutMs: read.int('LOGIN_LOCKOUT_MAX_MS'),
      },
      hashing: {
        maxConcurrent: read.int('PASSWORD_HASH_CONCURRENCY'),
        maxQueued: read.int('PASSWORD_HASH_QUEUE'),
      },
    },
    stomp: {
      limits: {
        maxFrameBytes: read.int('STOMP_MAX_FRAME_BYTES'),
        maxBodyBytes: read.int('STOMP_MAX_BODY_BYTES'),
        maxHeaders: read.int('STOMP_MAX_HEADERS'),
        maxHeaderLineBytes: read.int('STOMP_MAX_HEADER_LINE_BYTES'),
      },
      maxSubscriptionsPerConnection: read.int('STOMP_MAX_SUBSCRIPTIONS'),
      sendRatePerSecond: read.int('STOMP_SEND_RATE_PER_SECOND'),
      sendBurst: read.int('STOMP_SEND_BURST'),
      userSendRatePerSecond: read.int('STOMP_USER_SEND_RATE_PER_SECOND'),
      userSendBurst: read.int('STOMP_USER_SEND_BURST'),
      maxOutboundBufferBytes: read.int('STOMP_MAX_OUTBOUND_BUFFER_BYTES'),
      maxUnackedPerSubscription: read.int('STOMP_MAX_UNACKED'),
      maxFramesPerTransaction: read.int('STOMP_MAX_TRANSACTION_FRAMES'),
      maxConnectionsPerUser: read.int('STOMP_MAX_CONNECTIONS_PER_USER'),
      connectTimeoutMs: read.int('STOMP_CONNECT_TIMEOUT_MS'),
      frameCompletionTimeoutMs: read.int('STOMP_FRAME_COMPLETION_TIMEOUT_MS'),
      sendTimeoutMs: read.int('STOMP_SEND_TIMEOUT_MS'),
      heartbeatSendMs: read.int('STOMP_HEARTBEAT_SEND_MS'),
      heartbeatReceiveMs: read.int('STOMP_HEARTBEAT_RECEIVE_MS'),
      heartbeatTolerance: read.int('STOMP_HEARTBEAT_TOLERANCE'),
      wsPingIntervalMs: read.int('WS_PING_INTERVAL_MS'),
      serverName: read.string('STOMP_SERVER_NAME'),
      clientTopics: {
        patterns: read.list('STOMP_CLIENT_TOPICS') ?? [],
        maxBodyBytes: read.int('STOMP_CLIENT_TOPIC_MAX_BODY_BYTES'),
        ephemeral: read.bool('STOMP_CLIENT_TOPICS_EPHEMERAL'),
        retentionMs: read.int('STOMP_CLIENT_TOPIC_RETENTION_MS'),
      },
    },
    shutdown: {
      drainMs: read.int('SHUTDOWN_DRAIN_MS'),
      drainOnDeregistration: read.bool('DRAIN_ON_DEREGISTRATION'),
      targetGroupArn: read.optionalString('TARGET_GROUP_ARN'),
      deregistrationPollMs: read.int('DRAIN_POLL_INTERVAL_MS'),
      healthCheckSilenceMs: read.int('DRAIN_HEALTH_CHECK_SILENCE_MS'),
      ecsMetadataUri: read.optionalString('ECS_CONTAINER_METADATA_URI_V4'),
    },
    presence: {
      heartbeatIntervalMs: read.int('PRESENCE_HEARTBEAT_INTERVAL_MS'),
      ttlMs: read.int('PRESENCE_TTL_MS'),
      offlineGraceMs: read.int('PRESENCE_OFFLINE_GRACE_MS'),
      sweepIntervalMs: read.int('PRESENCE_SWEEP_INTERVAL_MS'),
    },
    readMarkers: { flushIntervalMs: read.int('READ_MARKERS_FLUSH_INTERVAL_MS') },
    log: {
      level: read.oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const),
    },
    metrics: {
      serviceName: read.string('METRICS_SERVICE_NAME'),
      emfIntervalMs: read.int('METRICS_EMF_INTERVAL_MS', production ? 60_000 : 0),
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
  const production = read.oneOf('NODE_ENV', ['development', 'production', 'test'] as const) === 'production';
  const dataDir = resolve(read.string('DATA_DIR'));
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

function readLogin(
  read: EnvReader,
  userVariable: EnvironmentVariableName,
  passwordVariable: EnvironmentVariableName,
): DatabaseLogin | undefined {
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
    host: read.string('REDIS_HOST'),
    port: read.int('REDIS_PORT'),
    tls: read.bool('REDIS_TLS'),
    username: read.optionalString('REDIS_USERNAME'),
    password: read.optionalString('REDIS_AUTH_TOKEN') ?? read.optionalString('REDIS_PASSWORD'),
    keyPrefix: read.string('REDIS_KEY_PREFIX'),
    commandTimeoutMs: read.int('REDIS_COMMAND_TIMEOUT_MS'),
    logMaxLength: read.int('REDIS_LOG_MAX_LENGTH'),
    receiptWaitReplicas: read.int('RECEIPT_WAIT_REPLICAS'),
    receiptWaitTimeoutMs: read.int('RECEIPT_WAIT_TIMEOUT_MS'),
    ...readRedisCluster(read),
  };
}

/** REDIS_CLUSTER=true (seed: the URL or host and port) or REDIS_CLUSTER_NODES=host:port,… */
function readRedisCluster(read: EnvReader): { cluster?: RedisClusterConfig } {
  const listed = read.list('REDIS_CLUSTER_NODES');
  if (!read.bool('REDIS_CLUSTER', listed !== undefined)) return {};
  const partitions = read.int('REDIS_CLUSTER_PARTITIONS');
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
  return `${read.string('REDIS_HOST')}:${read.int('REDIS_PORT')}`;
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
    namePrefix: read.string('RABBITMQ_NAME_PREFIX'),
    confirmTimeoutMs: read.int('RABBITMQ_CONFIRM_TIMEOUT_MS'),
    heartbeatSeconds: read.int('RABBITMQ_HEARTBEAT_SECONDS'),
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
      port: read.int('MONGO_PORT'),
      database: read.string('MONGO_DATABASE'),
      username: read.optionalString('MONGO_USERNAME'),
      password: read.optionalString('MONGO_PASSWORD'),
      tls: read.raw('MONGO_TLS') === undefined ? undefined : read.bool('MONGO_TLS', false),
      tlsCaFile: read.optionalString('MONGO_TLS_CA_FILE'),
      replicaSet: read.optionalString('MONGO_REPLICA_SET'),
      retryWrites: read.raw('MONGO_RETRY_WRITES') === undefined ? undefined : read.bool('MONGO_RETRY_WRITES', true),
      maxPoolSize: read.raw('MONGO_MAX_POOL_SIZE') === undefined ? undefined : read.int('MONGO_MAX_POOL_SIZE', 100),
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
  if (kind === 'sqlite') return { kind, path: resolve(dataDir, read.string('SQLITE_FILE')), migrateOnStart };
  return {
    kind,
    migrateOnStart,
    mysql: {
      url: read.url('MYSQL_URL', ['mysql']),
      host: read.string('MYSQL_HOST'),
      port: read.int('MYSQL_PORT'),
      user: read.string('MYSQL_USER'),
      password: read.string('MYSQL_PASSWORD'),
      database: read.string('MYSQL_DATABASE'),
      tls: read.bool('MYSQL_TLS'),
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
