/**
 * What the database instance classes of the stage settings can take, and the connection
 * budget derived from it. Kept apart from stages.ts so the arithmetic has one home that the
 * service (pool size), the alarms (thresholds) and the docs (docs/deploy.md) agree on.
 */

/** Amazon DocumentDB connection limit per instance, by class (AWS DocumentDB quotas). */
const DOCUMENTDB_MAX_CONNECTIONS: Record<string, number> = {
  't3.medium': 500,
  't4g.medium': 500,
  'r5.large': 1700,
  'r6g.large': 1700,
  'r5.xlarge': 3400,
  'r6g.xlarge': 3400,
  'r5.2xlarge': 6800,
  'r6g.2xlarge': 6800,
  'r5.4xlarge': 13600,
  'r6g.4xlarge': 13600,
};

/** Nominal memory of the RDS instance classes the stages use, GiB. */
const RDS_MEMORY_GIB: Record<string, number> = {
  't4g.micro': 1,
  't4g.small': 2,
  't4g.medium': 4,
  't4g.large': 8,
  'm7g.large': 8,
  'm7g.xlarge': 16,
  'r7g.large': 16,
  'r7g.xlarge': 32,
};

/** Nominal memory of the DocumentDB instance classes, GiB. */
const DOCUMENTDB_MEMORY_GIB: Record<string, number> = {
  't3.medium': 4,
  't4g.medium': 4,
  'r5.large': 16,
  'r6g.large': 16,
  'r5.xlarge': 32,
  'r6g.xlarge': 32,
  'r5.2xlarge': 64,
  'r6g.2xlarge': 64,
  'r5.4xlarge': 128,
  'r6g.4xlarge': 128,
};

/** Share of a connection limit the service may plan for; the rest is for the migration task, rotation and operators. */
export const CONNECTION_BUDGET_SHARE = 0.8;
/** Connections the MongoDB driver keeps per server besides its pool (the monitor and the RTT pinger). */
export const MONGO_MONITORING_CONNECTIONS = 2;
/** The driver's default pool size; no reason to go above it. */
export const MONGO_DEFAULT_POOL_SIZE = 100;
/** Below this a task would queue its own history reads behind the persister. */
export const MONGO_MIN_POOL_SIZE = 5;

export function documentDbMaxConnections(instanceClass: string): number {
  return lookup(DOCUMENTDB_MAX_CONNECTIONS, instanceClass, 'documentDb.instanceClass');
}

export function rdsMemoryBytes(instanceClass: string): number {
  return lookup(RDS_MEMORY_GIB, instanceClass, 'mysql.instanceClass') * 1024 ** 3;
}

export function documentDbMemoryBytes(instanceClass: string): number {
  return lookup(DOCUMENTDB_MEMORY_GIB, instanceClass, 'documentDb.instanceClass') * 1024 ** 3;
}

/**
 * RDS for MySQL's default max_connections, {DBInstanceClassMemory/12582880}. DBInstanceClassMemory
 * is the class memory minus what RDS reserves; 90 % of nominal is a conservative stand-in.
 */
export function mysqlMaxConnections(instanceClass: string): number {
  return Math.floor((rdsMemoryBytes(instanceClass) * 0.9) / 12_582_880);
}

/**
 * Tasks that can run at once: a rolling deploy at maxHealthyPercent 200 starts a full new set
 * before the old one leaves, so twice maxTasks.
 */
export function peakTasks(maxTasks: number): number {
  return 2 * maxTasks;
}

/**
 * MONGO_MAX_POOL_SIZE for the service. Reads go to secondaries (secondaryPreferred) and writes to
 * the primary, and the driver keeps a pool per server, so every task can hold a full pool plus its
 * monitoring connections on every instance:
 *
 *   peakTasks × (pool + 2) ≤ 80 % × per-instance limit
 *   pool = floor(0.8 × limit / peakTasks) − 2, at most 100
 *
 * prod (r6g.large, 1700; 30 tasks → 60 at peak): floor(1360 / 60) − 2 = 20.
 */
export function mongoPoolSize(instanceClass: string, maxTasks: number): number {
  const budget = Math.floor((CONNECTION_BUDGET_SHARE * documentDbMaxConnections(instanceClass)) / peakTasks(maxTasks));
  return Math.min(MONGO_DEFAULT_POOL_SIZE, budget - MONGO_MONITORING_CONNECTIONS);
}

/**
 * Whether Performance Insights can be turned on. RDS for MySQL does not offer it on the
 * micro and small burstable classes; DocumentDB not on the burstable (T) classes.
 */
export function rdsSupportsPerformanceInsights(instanceClass: string): boolean {
  return !/^t\d+g?\.(micro|small)$/.test(instanceClass);
}

export function documentDbSupportsPerformanceInsights(instanceClass: string): boolean {
  return !instanceClass.startsWith('t');
}

function lookup(table: Record<string, number>, instanceClass: string, setting: string): number {
  const value = table[instanceClass];
  if (value === undefined) {
    throw new Error(
      `${setting} '${instanceClass}' has no known capacity; add it to infra/config/database-capacity.ts (known: ${Object.keys(table).join(', ')})`,
    );
  }
  return value;
}
