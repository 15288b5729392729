import type { StompLimits } from '../stomp/limits.js';

/** The service's whole configuration, typed and validated. Built only by loadConfig(). */
export interface AppConfig {
  readonly mode: 'development' | 'production' | 'test';
  /** Where the embedded default keeps SQLite files and the generated JWT secret. */
  readonly dataDir: string;
  readonly backplane: BackplaneConfig;
  readonly messageStore: MessageStoreConfig;
  readonly persister: PersisterConfig;
  readonly database: DatabaseConfig;
  readonly auth: AuthConfig;
  readonly stomp: StompConfig;
  /** Bound on the message-store read a SEND may need (a room's sequence floor after Redis lost it). */
  readonly messages: { readonly storeTimeoutMs: number };
  readonly http: {
    readonly host: string;
    readonly port: number;
    readonly jsonBodyLimitBytes: number;
    /** Deepest nesting a JSON request body may have. */
    readonly maxJsonDepth: number;
    /**
     * Port of the ops listener (/metrics, /readyz, /docs): those routes then answer only there,
     * and 404 on `port`. 0 picks a free port (tests). @default - none: everything on `port`
     */
    readonly opsPort?: number;
    /** A connection must send its request head (an upgrade's too) within this time. */
    readonly headersTimeoutMs: number;
    /** Connections from one address still sending their request head at once; 0: no cap. */
    readonly maxPendingPerAddress: number;
    /** Proxies in front (Express's `trust proxy` hop count): 1 behind the ALB, so `req.ip` is the client. */
    readonly trustProxyHops: number;
  };
  readonly revocations: RevocationsConfig;
  readonly membershipCache: { readonly maxEntries: number; readonly ttlMs: number; readonly negativeTtlMs: number };
  readonly shutdown: {
    readonly drainMs: number;
    /** Start draining when the load balancer deregisters this task (ECS), not only on SIGTERM. */
    readonly drainOnDeregistration: boolean;
    readonly targetGroupArn?: string;
    readonly deregistrationPollMs: number;
    /**
     * Load balancer health checks silent this long make the task ask the ELB API whether it is
     * draining (a draining target is not health-checked). Over two check intervals.
     */
    readonly healthCheckSilenceMs: number;
    /** Set by ECS on every task; where the task learns its own IP. */
    readonly ecsMetadataUri?: string;
  };
  readonly presence: PresenceConfig;
  readonly readMarkers: {
    /** Read markers are coalesced in memory and written to the database this often (and on shutdown). */
    readonly flushIntervalMs: number;
  };
  readonly log: { readonly level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent' };
  readonly metrics: { readonly serviceName: string; readonly emfIntervalMs: number };
}

/** A database login from the environment (Secrets Manager in the deployment). */
export interface DatabaseLogin {
  readonly user: string;
  readonly password: string;
}

/**
 * What the one-off migration task needs: the databases, and the logins it provisions. The
 * master logins are used only to create and grant the least-privilege users; the migrations
 * themselves run as the MySQL user of `database` (the migration user).
 */
export interface MigrationConfig {
  readonly database: DatabaseConfig;
  readonly messageStore: MessageStoreConfig;
  readonly mysqlAdmin?: DatabaseLogin;
  readonly mysqlApp?: DatabaseLogin;
  readonly mongoAdmin?: DatabaseLogin;
  readonly mongoApp?: DatabaseLogin;
}

/** Logouts and membership removals reaching every instance: see docs/adr/0002-durable-revocations.md. */
export interface RevocationsConfig {
  /** How often each instance reads recent revocations from the database (the net under Redis's fast path). */
  readonly pollIntervalMs: number;
  /** How far back each read reaches: more than the clock skew between instances plus the slowest commit. */
  readonly lookbackMs: number;
  /** Stored revocations older than this are deleted. */
  readonly retentionMs: number;
}

/** Who is online: this instance's sessions, kept alive across instances by a heartbeat. */
export interface PresenceConfig {
  /** How often this instance refreshes its liveness in the presence registry. */
  readonly heartbeatIntervalMs: number;
  /** Sessions of an instance that stopped refreshing are dropped this long after its last heartbeat. */
  readonly ttlMs: number;
  /** A user is announced offline only after their last session has been gone this long. */
  readonly offlineGraceMs: number;
  /** How often each instance looks for expired instances and ended grace periods. */
  readonly sweepIntervalMs: number;
}

export interface RedisConfig {
  /** redis:// or rediss:// URL; when unset, host/port/tls are used. */
  readonly url?: string;
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  readonly username?: string;
  /** ElastiCache auth token or RBAC password. */
  readonly password?: string;
  readonly keyPrefix: string;
  /** Bound on every non-blocking Redis command (a publish rejects instead of hanging). */
  readonly commandTimeoutMs: number;
  /** Approximate length each destination's replay log is trimmed to (XADD MAXLEN ~). */
  readonly logMaxLength: number;
  /**
   * Receipts wait for this many replicas to acknowledge a publish (Redis WAIT; 0: they do not),
   * so a failover loses no receipted message. See docs/guarantees.md.
   */
  readonly receiptWaitReplicas: number;
  /** How long a publish waits for them; past it the SEND gets ERROR BACKPLANE_UNREPLICATED. */
  readonly receiptWaitTimeoutMs: number;
  /** Present: Redis Cluster mode (ElastiCache cluster mode enabled); see docs/adr/0004-redis-cluster.md. */
  readonly cluster?: RedisClusterConfig;
}

/** Redis Cluster: where to find it, and how destinations are spread over its slots. */
export interface RedisClusterConfig {
  /** Seed nodes (any of the cluster's nodes, or the configuration endpoint); ioredis learns the rest. */
  readonly nodes: ReadonlyArray<{ readonly host: string; readonly port: number }>;
  /**
   * Number of partitions (hash tags) destinations are hashed into; each has its own persist
   * stream. Fixed for the life of a cluster's data: changing it moves every destination's keys.
   */
  readonly partitions: number;
}

/** RabbitMQ as the backplane's transport and persist hand-off (BACKPLANE=rabbitmq); see docs/brokers.md. */
export interface RabbitConfig {
  /** amqp:// or amqps:// (Amazon MQ); user and password in the URL, or given separately. */
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  /** Prefix of every exchange and queue name, so several deployments can share one vhost. */
  readonly namePrefix: string;
  /** Bound on a publisher confirm: a SEND fails with BACKPLANE_UNAVAILABLE instead of waiting longer. */
  readonly confirmTimeoutMs: number;
  /** AMQP heartbeat: how fast a dead broker connection is noticed. */
  readonly heartbeatSeconds: number;
}

/**
 * `rabbitmq` keeps Redis for what it does best (sequence counters, replay log, claims, presence)
 * and carries messages, control events and the persist hand-off through RabbitMQ
 * (docs/adr/0003-rabbitmq-sequencing.md).
 */
export type BackplaneConfig =
  | { readonly kind: 'local' }
  | { readonly kind: 'redis'; readonly redis: RedisConfig }
  | { readonly kind: 'rabbitmq'; readonly redis: RedisConfig; readonly rabbitmq: RabbitConfig };

export const MONGO_READ_PREFERENCES = [
  'primary',
  'primaryPreferred',
  'secondary',
  'secondaryPreferred',
  'nearest',
] as const;

/**
 * MongoDB / DocumentDB for messages. `url` (MONGO_URL) or host/port; every other setting left
 * undefined leaves the URL's own option (or the driver's default) in force, so a URL that says
 * `retryWrites=false` is not overridden by a default.
 */
export interface MongoConfig {
  readonly url?: string;
  readonly host?: string;
  readonly port: number;
  /** Used when the URL names no database. */
  readonly database: string;
  readonly username?: string;
  readonly password?: string;
  /** TLS on; implied by tlsCaFile. */
  readonly tls?: boolean;
  /** CA bundle that verifies the server (DocumentDB: the RDS bundle). */
  readonly tlsCaFile?: string;
  readonly replicaSet?: string;
  /** DocumentDB does not support retryable writes: false there. */
  readonly retryWrites?: boolean;
  /**
   * Connections per server the driver may open (its default is 100). Sized by the deployment
   * so that every task's pools fit under DocumentDB's per-instance connection limit.
   */
  readonly maxPoolSize?: number;
  readonly readPreference?: (typeof MONGO_READ_PREFERENCES)[number];
}

/** The write-behind persister that moves room messages from the persist queue to the store. */
export interface PersisterConfig {
  /** Queue entries read and written per batch. */
  readonly batchSize: number;
  /** First wait after a failed store write; doubled per failure (with jitter) up to retryMaxMs. */
  readonly retryInitialMs: number;
  readonly retryMaxMs: number;
  /** How long the shutdown flush may spend writing what is still queued. */
  readonly flushTimeoutMs: number;
  /** After a batch smaller than batchSize, wait this long so the next one is fuller (fewer round trips). */
  readonly lingerMs: number;
  /**
   * A queue entry handed to a persister and not acknowledged this long is handed out again (its
   * persister crashed, or the reply carrying it was lost in a Redis outage).
   */
  readonly claimIdleMs: number;
}

export type MessageStoreConfig = { readonly kind: 'sql' } | { readonly kind: 'mongo'; readonly mongo: MongoConfig };

export interface MysqlConfig {
  readonly url?: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  /** TLS to MySQL (RDS requires it); the CA bundle file verifies the server. */
  readonly tls: boolean;
  readonly tlsCaFile?: string;
}

export type DatabaseConfig = (
  { readonly kind: 'sqlite'; readonly path: string } | { readonly kind: 'mysql'; readonly mysql: MysqlConfig }
) & {
  /** Apply pending migrations at start-up (SQLite always; MySQL outside production by default). */
  readonly migrateOnStart: boolean;
};

export interface AuthConfig {
  /** Accept any STOMP login without a token. Development only; refused in production. */
  readonly devAcceptAny: boolean;
  readonly jwt: {
    readonly algorithm: 'HS256' | 'RS256' | 'ES256';
    /** HS256 secret; when unset outside production one is generated under dataDir. */
    readonly secret?: string;
    readonly publicKey?: string;
    readonly privateKey?: string;
    readonly issuer: string;
    readonly audience: string;
    readonly accessTtlSeconds: number;
    readonly refreshTtlSeconds: number;
    readonly clockToleranceSeconds: number;
  };
  /** Browser origins allowed to open the WebSocket; '*' allows any (development default). */
  readonly allowedOrigins: readonly string[] | '*';
  /** Deny a logged-out login's access tokens until they expire (needs Redis; no effect without it). */
  readonly accessTokenDenyList: boolean;
  /** Wrong passwords per account, and login failures and registrations per address, before lockouts. */
  readonly throttle: {
    readonly accountFreeFailures: number;
    readonly addressFreeFailures: number;
    readonly addressFreeRegistrations: number;
    readonly windowMs: number;
    readonly baseLockoutMs: number;
    readonly maxLockoutMs: number;
  };
  /** scrypt runs at once, and waiting beyond them (LIMIT_BUSY past that). */
  readonly hashing: { readonly maxConcurrent: number; readonly maxQueued: number };
}

export interface StompConfig {
  readonly limits: StompLimits;
  readonly maxSubscriptionsPerConnection: number;
  /** Sustained SEND frames per second per connection, and the burst above it. */
  readonly sendRatePerSecond: number;
  readonly sendBurst: number;
  /** Sustained SEND frames per second per user across all their connections on one instance, and burst. */
  readonly userSendRatePerSecond: number;
  readonly userSendBurst: number;
  /** Bytes queued to a socket beyond which the client is a slow consumer and is closed. */
  readonly maxOutboundBufferBytes: number;
  readonly maxUnackedPerSubscription: number;
  readonly maxFramesPerTransaction: number;
  readonly maxConnectionsPerUser: number;
  /** A socket that sends no CONNECT within this time is closed. */
  readonly connectTimeoutMs: number;
  /** A frame begun must end within this time (LIMIT_FRAME_TIMEOUT); 0 turns the limit off. */
  readonly frameCompletionTimeoutMs: number;
  /** Bound on carrying out one SEND (authorization, store, backplane): past it, ERROR SEND_TIMEOUT. */
  readonly sendTimeoutMs: number;
  /** What the server offers in CONNECTED's heart-beat header: [server sends, server wants]. */
  readonly heartbeatSendMs: number;
  readonly heartbeatReceiveMs: number;
  /** A client is dropped after silence longer than its beat interval times this factor. */
  readonly heartbeatTolerance: number;
  /** WebSocket-level pings keep idle connections alive through load balancers. */
  readonly wsPingIntervalMs: number;
  readonly serverName: string;
  readonly clientTopics: ClientTopicsConfig;
}

/**
 * /topic/ patterns clients may SEND to directly (none by default: room traffic goes through
 * /app/ handlers). Each is open to every connected user, so a deployment sets them for
 * benchmarks, tests or a trusted network, with a body bound and a retention choice.
 */
export interface ClientTopicsConfig {
  readonly patterns: readonly string[];
  readonly maxBodyBytes: number;
  /** True: live only, nothing kept for replay (and nothing grows in the backplane log). */
  readonly ephemeral: boolean;
  /**
   * A kept topic's counter and replay log expire this long after its last message, so topics
   * that users name freely cannot grow Redis without a bound.
   */
  readonly retentionMs: number;
}
