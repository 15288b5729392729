import { clientTopicProblems, NO_CLIENT_TOPICS, type ClientTopicSettings } from './client-topics.js';
import { MONGO_MIN_POOL_SIZE, mongoPoolSize } from './database-capacity.js';

/**
 * Per-stage settings for the chat backend's AWS deployment, kept in code so a reviewer
 * sees every difference between dev, staging and prod in one file.
 *
 * Nothing here reads the environment or CDK context: `infra/bin/main.ts` picks the stage
 * and passes the few values that come from the command line (certificate ARN, domain,
 * alarm email, allowed origins) to `resolveStageSettings()`.
 */

export const STAGE_NAMES = ['dev', 'staging', 'prod'] as const;
export type StageName = (typeof STAGE_NAMES)[number];

/** What happens to a stateful resource when it is removed from the stack. */
export type StatefulRemoval = 'destroy' | 'snapshot' | 'retain';

export interface NetworkSettings {
  /**
   * AZs to spread over (2–3). Environment-agnostic synth caps this at 2, so staging and prod
   * (3) require an account and region (`createChatStacks()` refuses them without).
   */
  readonly maxAzs: number;
  /** NAT gateways (1 = cheapest, one per AZ = no cross-AZ egress dependency). */
  readonly natGateways: number;
  /**
   * Interface endpoints for what every task start needs (ECR API and registry, Secrets Manager,
   * CloudWatch Logs), so tasks start and log without NAT. About $7.30 per endpoint per AZ per
   * month plus $0.01/GB (docs/deploy.md has the arithmetic); worth it where NAT redundancy and
   * log volume matter (prod), not for dev/staging.
   */
  readonly interfaceEndpoints: boolean;
}

/**
 * How a task leaves the fleet. ECS first deregisters it from the target group and waits the
 * deregistration delay (the load balancer keeps existing connections meanwhile), then sends
 * SIGTERM and, after stopTimeout, SIGKILL. The server notices the deregistration itself
 * (target state `draining`) and starts its drain then; SIGTERM is the backstop. Hence
 * SHUTDOWN_DRAIN_MS < deregistration delay < stopTimeout, checked by `validateStageSettings()`.
 */
export interface DrainSettings {
  /**
   * SHUTDOWN_DRAIN_MS: how long the server spreads its drain (ERROR frame, close 1012,
   * jittered reconnect hints). Must end before the deregistration delay does, when the
   * load balancer closes whatever is still open.
   */
  readonly shutdownDrainMs: number;
  /** ALB target group deregistration delay, seconds (0–3600). */
  readonly deregistrationDelaySeconds: number;
  /**
   * Container stopTimeout (SIGTERM → SIGKILL), seconds; Fargate allows at most 120. Longer
   * than the deregistration delay so that, when SIGTERM comes first (StopTask, a task replaced
   * after failing its health check), the load balancer has let go of the task before SIGKILL.
   */
  readonly stopTimeoutSeconds: number;
}

export interface ServiceSettings {
  /** Fargate CPU units (1024 = 1 vCPU). Node runs one event loop, so more than 1 vCPU per task buys little. */
  readonly cpu: number;
  /** Fargate memory in MiB; must be a valid combination with `cpu`. */
  readonly memoryMiB: number;
  /**
   * Floor of the autoscaling range. The service template deliberately has no DesiredCount,
   * so a deploy never resets a scaled-out fleet (and its WebSocket connections) to a fixed number.
   */
  readonly minTasks: number;
  readonly maxTasks: number;
  /** Target of the CPU target-tracking policy, percent. */
  readonly cpuTargetPercent: number;
  /** Target of the ActiveConnections target-tracking policy, connections per task. */
  readonly connectionsPerTaskTarget: number;
  /** ECS Exec into running tasks (a shell in prod is an audit problem, so off there). */
  readonly enableExecuteCommand: boolean;
  /** CloudWatch Logs retention for application and VPC flow logs, days. */
  readonly logRetentionDays: number;
  /** Deregistration, drain and stop timing. */
  readonly drain: DrainSettings;
  /**
   * Run tasks on Fargate Spot (~70 % cheaper, may be reclaimed with a two-minute warning, which
   * the drain fits in). `onDemandBase` tasks stay on regular Fargate so a Spot shortage never
   * empties the service. @default - regular Fargate only
   */
  readonly fargateSpot?: { readonly onDemandBase: number };
}

/** AWS WAF rate limits per client IP, requests per 5 minutes (WAF's evaluation window). */
export interface WafSettings {
  /** Everything under /auth/ (login and register run scrypt on the tasks). */
  readonly authRequestsPer5Min: number;
  /** WebSocket upgrades on /ws: reconnect storms after a drain stay well below it. */
  readonly upgradeRequestsPer5Min: number;
}

export interface RedisSettings {
  /** ElastiCache node type, e.g. `cache.t4g.micro`. */
  readonly nodeType: string;
  /** Read replicas next to the primary; ≥ 1 enables Multi-AZ automatic failover. */
  readonly replicas: number;
  /**
   * Receipts wait until this many replicas hold the message (the app's RECEIPT_WAIT_REPLICAS,
   * Redis WAIT), so a failover loses no receipted message; 0: receipts mean "in the primary's
   * memory" (docs/guarantees.md). At most `replicas`.
   */
  readonly receiptWaitReplicas: number;
  /**
   * Cluster mode enabled with this many shards (node groups), each a primary and `replicas`
   * replicas; the app runs with REDIS_CLUSTER=true (docs/adr/0004-redis-cluster.md). Absent: one
   * primary (cluster mode disabled). Needs `replicas` ≥ 1; `receiptWaitReplicas` applies per shard.
   */
  readonly shards?: number;
}

export interface DocumentDbSettings {
  /** Instance class without the `db.` prefix, e.g. `t4g.medium`. */
  readonly instanceClass: string;
  /** Instances in the cluster (1 primary + n-1 replicas). */
  readonly instances: number;
}

export interface MysqlSettings {
  /** Instance class without the `db.` prefix, e.g. `t4g.micro`. */
  readonly instanceClass: string;
  /** Initial gp3 storage, GiB (minimum 20). */
  readonly allocatedStorageGiB: number;
  /** Storage autoscaling ceiling, GiB. */
  readonly maxAllocatedStorageGiB: number;
  /** Also allow IAM database authentication (the app still uses the generated password). */
  readonly iamAuthentication: boolean;
}

export interface ProtectionSettings {
  /** RDS Multi-AZ standby. */
  readonly multiAz: boolean;
  /** Deletion protection on RDS, DocumentDB and the load balancer. */
  readonly deletionProtection: boolean;
  /** Automated backup retention for RDS and DocumentDB, days (1–35). */
  readonly backupRetentionDays: number;
  /** Removal policy of the data stores when they leave the stack. */
  readonly removal: StatefulRemoval;
}

/**
 * What carries messages between tasks: Redis alone, or Amazon MQ for RabbitMQ with Redis kept for
 * sequences, replay log and presence (docs/brokers.md). The broker's shape follows
 * `protection.multiAz` (infra/config/rabbitmq-settings.ts). @default 'redis'
 */
export const BROKER_KINDS = ['redis', 'rabbitmq'] as const;
export type BrokerKind = (typeof BROKER_KINDS)[number];

/** The `-c broker=…` value, checked; undefined keeps the stage's default. */
export function parseBrokerKind(value: string | undefined): BrokerKind | undefined {
  if (value === undefined) return undefined;
  if ((BROKER_KINDS as readonly string[]).includes(value)) return value as BrokerKind;
  throw new Error(`unknown broker '${value}' (expected one of: ${BROKER_KINDS.join(', ')})`);
}

export interface StageSettings {
  readonly stage: StageName;
  readonly broker?: BrokerKind;
  readonly network: NetworkSettings;
  readonly service: ServiceSettings;
  readonly redis: RedisSettings;
  readonly documentDb: DocumentDbSettings;
  readonly mysql: MysqlSettings;
  readonly protection: ProtectionSettings;
  readonly waf: WafSettings;
  /** Topics clients may SEND to directly (STOMP_CLIENT_*); `NO_CLIENT_TOPICS` denies them all. */
  readonly clientTopics: ClientTopicSettings;
  /**
   * ACM certificate for the HTTPS listener (same region as the stack).
   * Required for staging and prod; dev without one serves plain HTTP.
   */
  readonly certificateArn?: string;
  /** Public host name clients use; only reported as a stack output (DNS is managed elsewhere). */
  readonly domainName?: string;
  /** Email subscribed to the alarm topic. */
  readonly alarmEmail?: string;
  /**
   * Browser origins allowed to open a WebSocket (ALLOWED_ORIGINS), e.g. `https://chat.example.com`.
   * Required in prod; elsewhere, without it the app accepts any origin.
   */
  readonly allowedOrigins?: readonly string[];
}

/** Values that come from the command line rather than from this file. */
export interface StageOverrides {
  readonly broker?: BrokerKind;
  readonly certificateArn?: string;
  readonly domainName?: string;
  readonly alarmEmail?: string;
  readonly allowedOrigins?: readonly string[];
}

type BaseSettings = Omit<StageSettings, keyof StageOverrides>;

/** Same in every stage: 60 s of drain inside a 110 s delay, 120 s (the Fargate maximum) to stop. */
const DRAIN: DrainSettings = { shutdownDrainMs: 60_000, deregistrationDelaySeconds: 110, stopTimeoutSeconds: 120 };

/**
 * Per client IP. A login is one request, so 100 per 5 minutes stops password guessing at scale
 * while a person never gets near it. Clients behind one NAT (an office) share a limit, hence
 * the generous upgrade limit: 1000 reconnects per 5 minutes from one address.
 */
const WAF: WafSettings = { authRequestsPer5Min: 100, upgradeRequestsPer5Min: 1000 };

/** What every stage shares; each stage below states only how it differs. */
const SHARED = {
  service: { cpuTargetPercent: 60, connectionsPerTaskTarget: 4000, drain: DRAIN },
  mysql: { iamAuthentication: false },
  waf: WAF,
  clientTopics: NO_CLIENT_TOPICS,
} as const satisfies {
  service: Partial<ServiceSettings>;
  mysql: Partial<MysqlSettings>;
  waf: WafSettings;
  clientTopics: ClientTopicSettings;
};

/** A stage's own settings: everything but what SHARED already says. */
interface StageDifferences extends Omit<BaseSettings, 'service' | 'mysql' | 'waf' | 'clientTopics'> {
  readonly service: Omit<ServiceSettings, keyof typeof SHARED.service>;
  readonly mysql: Omit<MysqlSettings, keyof typeof SHARED.mysql>;
}

function withShared(stage: StageDifferences): BaseSettings {
  return {
    ...stage,
    service: { ...stage.service, ...SHARED.service },
    mysql: { ...stage.mysql, ...SHARED.mysql },
    waf: SHARED.waf,
    clientTopics: SHARED.clientTopics,
  };
}

const BASE: Record<StageName, BaseSettings> = {
  dev: withShared({
    stage: 'dev',
    network: { maxAzs: 2, natGateways: 1, interfaceEndpoints: false },
    service: {
      cpu: 512,
      memoryMiB: 1024,
      minTasks: 1,
      maxTasks: 2,
      enableExecuteCommand: true,
      logRetentionDays: 7,
      fargateSpot: { onDemandBase: 0 },
    },
    redis: { nodeType: 'cache.t4g.micro', replicas: 0, receiptWaitReplicas: 0 },
    documentDb: { instanceClass: 't4g.medium', instances: 1 },
    mysql: { instanceClass: 't4g.micro', allocatedStorageGiB: 20, maxAllocatedStorageGiB: 50 },
    // 7 days of backups cost nothing extra (backup storage up to the database size is free).
    protection: { multiAz: false, deletionProtection: false, backupRetentionDays: 7, removal: 'destroy' },
  }),
  staging: withShared({
    stage: 'staging',
    // Three AZs like prod, so staging rehearses prod's layout (and its AZ lookup).
    network: { maxAzs: 3, natGateways: 1, interfaceEndpoints: false },
    service: {
      cpu: 1024,
      memoryMiB: 2048,
      minTasks: 2,
      maxTasks: 4,
      enableExecuteCommand: true,
      logRetentionDays: 30,
      fargateSpot: { onDemandBase: 1 },
    },
    redis: { nodeType: 'cache.t4g.small', replicas: 1, receiptWaitReplicas: 0 },
    documentDb: { instanceClass: 't4g.medium', instances: 2 },
    mysql: { instanceClass: 't4g.small', allocatedStorageGiB: 20, maxAllocatedStorageGiB: 100 },
    protection: { multiAz: false, deletionProtection: true, backupRetentionDays: 7, removal: 'snapshot' },
  }),
  prod: withShared({
    stage: 'prod',
    network: { maxAzs: 3, natGateways: 3, interfaceEndpoints: true },
    service: {
      cpu: 1024,
      memoryMiB: 2048,
      minTasks: 3,
      maxTasks: 30,
      enableExecuteCommand: false,
      logRetentionDays: 90,
    },
    // One of the two replicas: a failover promotes a replica that has every receipted message,
    // and one replica being replaced does not stall sending.
    redis: { nodeType: 'cache.m7g.large', replicas: 2, receiptWaitReplicas: 1 },
    documentDb: { instanceClass: 'r6g.large', instances: 2 },
    mysql: { instanceClass: 'm7g.large', allocatedStorageGiB: 100, maxAllocatedStorageGiB: 500 },
    protection: { multiAz: true, deletionProtection: true, backupRetentionDays: 30, removal: 'retain' },
  }),
};

export function isStageName(value: string): value is StageName {
  return (STAGE_NAMES as readonly string[]).includes(value);
}

/** The settings of `stage` with the command-line values merged in (not yet validated). */
export function resolveStageSettings(stage: string, overrides: StageOverrides = {}): StageSettings {
  if (!isStageName(stage)) {
    throw new Error(`unknown stage '${stage}' (expected one of: ${STAGE_NAMES.join(', ')})`);
  }
  return {
    ...BASE[stage],
    ...(overrides.broker ? { broker: overrides.broker } : {}),
    ...(overrides.certificateArn ? { certificateArn: overrides.certificateArn } : {}),
    ...(overrides.domainName ? { domainName: overrides.domainName } : {}),
    ...(overrides.alarmEmail ? { alarmEmail: overrides.alarmEmail } : {}),
    ...(overrides.allowedOrigins && overrides.allowedOrigins.length > 0
      ? { allowedOrigins: [...overrides.allowedOrigins] }
      : {}),
  };
}

/**
 * A list given on the command line (`-c allowedOrigins=https://a,https://b`) or as a JSON
 * array in cdk.json: trimmed, without empty items; `undefined` when nothing is left.
 */
export function parseList(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const items = (Array.isArray(value) ? value.map(String) : String(value).split(','))
    .map((item) => item.trim())
    .filter((item) => item !== '');
  return items.length > 0 ? items : undefined;
}

// Fargate's allowed memory sizes per CPU size, MiB: [min, max, step].
const FARGATE_MEMORY: Record<number, readonly [number, number, number]> = {
  256: [512, 2048, 512],
  512: [1024, 4096, 1024],
  1024: [2048, 8192, 1024],
  2048: [4096, 16384, 1024],
  4096: [8192, 30720, 1024],
  8192: [16384, 61440, 4096],
  16384: [32768, 122880, 8192],
};

// The retention periods CloudWatch Logs accepts, days.
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

const CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** What cluster mode (`redis.shards`) needs; none when it is off. */
function redisClusterProblems(redis: RedisSettings, broker: BrokerKind | undefined): string[] {
  if (redis.shards === undefined) return [];
  const problems: string[] = [];
  if (!Number.isInteger(redis.shards) || redis.shards < 1 || redis.shards > 500) {
    problems.push(`redis.shards must be between 1 and 500 (got ${redis.shards})`);
  }
  if (redis.replicas < 1)
    problems.push('redis.shards needs redis.replicas ≥ 1 (a shard without a replica has no failover)');
  if (broker === 'rabbitmq')
    problems.push("redis.shards needs broker 'redis' (RabbitMQ with cluster mode is not supported yet)");
  return problems;
}

/**
 * Throws one error listing every problem, each prefixed with the stage, so a failed
 * `cdk synth` tells the operator everything to fix in one go.
 */
export function validateStageSettings(settings: StageSettings): void {
  const problems: string[] = [];
  const { network, service, redis, documentDb, mysql, protection } = settings;
  const needsHa = settings.stage !== 'dev';

  if (!Number.isInteger(network.maxAzs) || network.maxAzs < 2 || network.maxAzs > 3) {
    problems.push(`network.maxAzs must be 2 or 3 (got ${network.maxAzs})`);
  }
  if (!Number.isInteger(network.natGateways) || network.natGateways < 1 || network.natGateways > network.maxAzs) {
    problems.push(`network.natGateways must be between 1 and maxAzs (${network.maxAzs}) (got ${network.natGateways})`);
  }

  const memory = FARGATE_MEMORY[service.cpu];
  if (!memory) {
    problems.push(`service.cpu must be one of ${Object.keys(FARGATE_MEMORY).join(', ')} (got ${service.cpu})`);
  } else {
    const [min, max, step] = memory;
    if (service.memoryMiB < min || service.memoryMiB > max || (service.memoryMiB - min) % step !== 0) {
      problems.push(
        `service.memoryMiB ${service.memoryMiB} is not valid for cpu ${service.cpu} (Fargate allows ${min}–${max} in steps of ${step})`,
      );
    }
  }
  if (!Number.isInteger(service.minTasks) || service.minTasks < 1) {
    problems.push(`minTasks must be ≥ 1 (got ${service.minTasks})`);
  }
  if (service.minTasks > service.maxTasks) {
    problems.push(`minTasks must be ≤ maxTasks (got ${service.minTasks} > ${service.maxTasks})`);
  }
  if (needsHa && service.minTasks < 2) {
    problems.push(
      `minTasks must be ≥ 2 outside dev so one task can drain while another serves (got ${service.minTasks})`,
    );
  }
  if (service.cpuTargetPercent < 10 || service.cpuTargetPercent > 90) {
    problems.push(`cpuTargetPercent must be between 10 and 90 (got ${service.cpuTargetPercent})`);
  }
  if (service.connectionsPerTaskTarget < 1) {
    problems.push(`connectionsPerTaskTarget must be ≥ 1 (got ${service.connectionsPerTaskTarget})`);
  }
  if (!LOG_RETENTION_DAYS.includes(service.logRetentionDays)) {
    problems.push(`logRetentionDays must be one of ${LOG_RETENTION_DAYS.join(', ')} (got ${service.logRetentionDays})`);
  }
  problems.push(...drainProblems(service.drain));
  if (service.fargateSpot !== undefined) {
    const base = service.fargateSpot.onDemandBase;
    if (settings.stage === 'prod')
      problems.push('service.fargateSpot must be off in prod (Spot capacity can be reclaimed)');
    if (!Number.isInteger(base) || base < 0 || base > service.minTasks) {
      problems.push(
        `service.fargateSpot.onDemandBase must be between 0 and minTasks (${service.minTasks}) (got ${base})`,
      );
    }
  }
  // WAF's rate-based rules accept 10 to 2,000,000,000 requests per evaluation window.
  for (const [name, limit] of Object.entries(settings.waf)) {
    if (!Number.isInteger(limit) || limit < 10 || limit > 2_000_000_000) {
      problems.push(`waf.${name} must be a whole number between 10 and 2,000,000,000 (got ${limit})`);
    }
  }

  if (!redis.nodeType.startsWith('cache.')) {
    problems.push(`redis.nodeType must start with 'cache.' (got '${redis.nodeType}')`);
  }
  if (!Number.isInteger(redis.replicas) || redis.replicas < 0 || redis.replicas > 5) {
    problems.push(`redis.replicas must be between 0 and 5 (got ${redis.replicas})`);
  }
  if (
    !Number.isInteger(redis.receiptWaitReplicas) ||
    redis.receiptWaitReplicas < 0 ||
    redis.receiptWaitReplicas > redis.replicas
  ) {
    problems.push(
      `redis.receiptWaitReplicas must be between 0 and redis.replicas (${redis.replicas}) (got ${redis.receiptWaitReplicas})`,
    );
  }
  problems.push(...redisClusterProblems(redis, settings.broker));
  if (needsHa && network.maxAzs !== 3) {
    problems.push(`network.maxAzs must be 3 outside dev, from the first deploy on (got ${network.maxAzs})`);
  }
  if (needsHa && redis.replicas < 1) {
    problems.push(`redis.replicas must be ≥ 1 (Multi-AZ automatic failover) (got ${redis.replicas})`);
  }

  if (documentDb.instanceClass.startsWith('db.')) {
    problems.push(`documentDb.instanceClass must not include the 'db.' prefix (got '${documentDb.instanceClass}')`);
  }
  if (!Number.isInteger(documentDb.instances) || documentDb.instances < 1 || documentDb.instances > 16) {
    problems.push(`documentDb.instances must be between 1 and 16 (got ${documentDb.instances})`);
  }
  if (settings.stage === 'prod' && documentDb.instances < 2) {
    problems.push(`documentDb.instances must be ≥ 2 (a replica to fail over to) (got ${documentDb.instances})`);
  }

  try {
    const pool = mongoPoolSize(documentDb.instanceClass, service.maxTasks);
    if (pool < MONGO_MIN_POOL_SIZE) {
      problems.push(
        `documentDb.instanceClass ${documentDb.instanceClass} leaves a Mongo pool of ${pool} per task at ${service.maxTasks} tasks (minimum ${MONGO_MIN_POOL_SIZE}); use a larger class or fewer maxTasks`,
      );
    }
  } catch (error) {
    problems.push((error as Error).message);
  }

  if (mysql.instanceClass.startsWith('db.')) {
    problems.push(`mysql.instanceClass must not include the 'db.' prefix (got '${mysql.instanceClass}')`);
  }
  if (mysql.allocatedStorageGiB < 20) {
    problems.push(`mysql.allocatedStorageGiB must be ≥ 20 (got ${mysql.allocatedStorageGiB})`);
  }
  if (mysql.maxAllocatedStorageGiB < mysql.allocatedStorageGiB) {
    problems.push(
      `mysql.maxAllocatedStorageGiB must be ≥ allocatedStorageGiB (got ${mysql.maxAllocatedStorageGiB} < ${mysql.allocatedStorageGiB})`,
    );
  }

  if (
    !Number.isInteger(protection.backupRetentionDays) ||
    protection.backupRetentionDays < 1 ||
    protection.backupRetentionDays > 35
  ) {
    problems.push(`backupRetentionDays must be between 1 and 35 (got ${protection.backupRetentionDays})`);
  }
  if (settings.stage === 'prod') {
    if (!protection.deletionProtection) problems.push('deletionProtection must be true');
    if (!protection.multiAz) problems.push('multiAz must be true');
    if (protection.removal !== 'retain') problems.push(`removal must be 'retain' (got '${protection.removal}')`);
  }

  problems.push(...clientTopicProblems(settings.clientTopics));

  if (settings.certificateArn === undefined) {
    if (needsHa) problems.push('certificateArn is required (HTTPS listener); pass -c certificateArn=arn:aws:acm:...');
  } else if (!CERTIFICATE_ARN.test(settings.certificateArn)) {
    problems.push(`certificateArn is not an ACM certificate ARN (got '${settings.certificateArn}')`);
  }
  if (settings.domainName !== undefined && !HOST_NAME.test(settings.domainName)) {
    problems.push(`domainName is not a host name (got '${settings.domainName}')`);
  }
  if (settings.alarmEmail === undefined) {
    // Deployment alarms roll a bad deploy back on their own, but someone has to hear about it.
    if (needsHa) {
      problems.push(
        'alarmEmail is required (alarms and deployment rollbacks must reach someone); pass -c alarmEmail=oncall@example.com',
      );
    }
  } else if (!EMAIL.test(settings.alarmEmail)) {
    problems.push(`alarmEmail is not an email address (got '${settings.alarmEmail}')`);
  }
  if (settings.allowedOrigins === undefined || settings.allowedOrigins.length === 0) {
    if (settings.stage === 'prod') {
      problems.push(
        'allowedOrigins is required (the browser origins allowed to open a WebSocket); pass -c allowedOrigins=https://chat.example.com[,https://...]',
      );
    }
  } else {
    for (const origin of settings.allowedOrigins) {
      const problem = originProblem(origin);
      if (problem) problems.push(`allowedOrigins: '${origin}' ${problem}`);
    }
  }

  if (problems.length > 0) {
    throw new Error(problems.map((p) => `stage ${settings.stage}: ${p}`).join('\n'));
  }
}

/** Why `value` is not what a browser sends as `Origin` (the app compares exactly), or undefined. */
function originProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not an origin (scheme://host[:port])';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'is not an http(s) origin';
  if (url.origin !== value) {
    return `is not an origin as browsers send it (scheme://host[:port], lower case, no path or trailing slash; did you mean '${url.origin}'?)`;
  }
  return undefined;
}

function drainProblems(drain: DrainSettings): string[] {
  const problems: string[] = [];
  const { shutdownDrainMs: drainMs, deregistrationDelaySeconds: delay, stopTimeoutSeconds: stop } = drain;
  if (!Number.isInteger(drainMs) || drainMs < 0) {
    problems.push(`drain.shutdownDrainMs must be a whole number of milliseconds ≥ 0 (got ${drainMs})`);
  }
  if (!Number.isInteger(delay) || delay < 0 || delay > 3600) {
    problems.push(`drain.deregistrationDelaySeconds must be between 0 and 3600 (got ${delay})`);
  }
  if (!Number.isInteger(stop) || stop < 2 || stop > 120) {
    problems.push(`drain.stopTimeoutSeconds must be between 2 and 120, the Fargate maximum (got ${stop})`);
  }
  if (drainMs >= delay * 1000) {
    problems.push(
      `drain.shutdownDrainMs (${drainMs} ms) must be shorter than the deregistration delay (${delay} s): the server drains while its target is draining, and the load balancer closes what is left when the delay ends`,
    );
  }
  if (delay >= stop) {
    problems.push(
      `drain.deregistrationDelaySeconds (${delay} s) must be shorter than stopTimeoutSeconds (${stop} s): when SIGTERM comes first, the load balancer has to let go of the task before SIGKILL`,
    );
  }
  return problems;
}
