/**
 * Child process of a `drain` scenario: the real write-behind persister (MessagePersister with
 * the SQL message store) emptying a persist queue that was filled through the real backplane,
 * into a scratch MariaDB database. Started from the run's snapshot of dist/, so it runs the same
 * build as the servers. Reports over IPC and exits.
 */
import { randomUUID } from 'node:crypto';
import type { Backplane } from '../app/src/backplane/backplane.port.js';
import { LocalBackplane, LOCAL_LOG_CAPACITY } from '../app/src/backplane/local-backplane.js';
import { LocalPersistQueue } from '../app/src/backplane/local-persist-queue.js';
import type { PersistQueue } from '../app/src/backplane/persist-queue.port.js';
import { RedisBackplane } from '../app/src/backplane/redis-backplane.js';
import {
  createBlockingConnection,
  createCommandConnection,
  createSubscriberConnection,
} from '../app/src/redis/redis-connection.js';
import { RedisPersistQueue } from '../app/src/backplane/redis-persist-queue.js';
import type { AppConfig } from '../app/src/config/app-config.js';
import { loadConfig } from '../app/src/config/load-config.js';
import { createDataSource } from '../app/src/database/data-source.factory.js';
import { runPendingMigrations } from '../app/src/database/run-migrations.js';
import { Transactions } from '../app/src/database/transactions.js';
import { MessagePersister } from '../app/src/messages/persister/message-persister.js';
import type { Log } from '../app/src/ops/log.port.js';
import { SqlMessageStore } from '../app/src/messages/store/sql/sql-message-store.js';
import { runBounded, sleep } from './bounded.js';
import { exactlyOnceProblem, type StoredRow } from './drain-check.js';
import type { DrainArgs, DrainMessage, DrainReport } from './drain-protocol.js';
import { clockTicksPerSecond, readCpuTicks, readSystemCpu } from './proc-reader.js';
import { cpuMicrosBetween } from './proc-stat.js';
import { openRedis, parseRedisCpuMicros } from './services.js';
import { APP_TABLES } from '../app/src/app-tables.js';

/** Publishes in flight at once when filling the Redis stream. */
const FILL_CONCURRENCY = 256;
const BACKLOG_POLL_MS = 5;
/** Persister settings a caller may set for the drain, as for the server. */
const PERSISTER_VARIABLES = [
  'PERSISTER_BATCH_SIZE',
  'PERSISTER_LINGER_MS',
  'PERSISTER_RETRY_INITIAL_MS',
  'PERSISTER_RETRY_MAX_MS',
] as const;

interface QueueParts {
  readonly backplane: Backplane;
  readonly queue: PersistQueue;
}

function queueParts(config: AppConfig): QueueParts {
  if (config.backplane.kind === 'local') {
    const queue = new LocalPersistQueue();
    return { backplane: new LocalBackplane(LOCAL_LOG_CAPACITY, queue.enqueue), queue };
  }
  const redis = config.backplane.redis;
  const backplane = new RedisBackplane({
    commands: createCommandConnection(redis, 'bench-drain'),
    subscriber: createSubscriberConnection(redis, 'bench-drain-sub'),
    keyPrefix: redis.keyPrefix,
    logMaxLength: redis.logMaxLength,
    timeoutMs: redis.commandTimeoutMs,
  });
  const queue = new RedisPersistQueue({
    commands: createCommandConnection(redis, 'bench-drain-persist'),
    blocking: createBlockingConnection(redis, 'bench-drain-persist-block'),
    keyPrefix: redis.keyPrefix,
  });
  return { backplane, queue };
}

/** Chat-sized room messages with the headers RoomMessageHandler sets, spread over the rooms. */
async function fill(backplane: Backplane, args: DrainArgs): Promise<string[]> {
  const rooms = Array.from({ length: args.rooms }, () => randomUUID());
  const body = Buffer.from(
    'lorem ipsum dolor sit amet '.repeat(Math.ceil(args.bodyBytes / 27)).slice(0, args.bodyBytes),
  );
  const ids: string[] = new Array(args.messages);
  const outcomes = await runBounded(args.messages, args.queue === 'redis' ? FILL_CONCURRENCY : 1, async (i) => {
    const published = await backplane.publish({
      destination: `/topic/rooms.${rooms[i % rooms.length]}`,
      headers: [
        ['content-type', 'text/plain;charset=utf-8'],
        ['x-sender-id', `bench-user-${i % 50}`],
        ['x-sender', `bench${i % 50}`],
        ['x-server-ts', new Date().toISOString()],
        ['x-client-msg-id', `bench-${i}`],
      ],
      body,
    });
    ids[i] = published.id;
  });
  const failed = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failed) throw new Error(`publishing the backlog failed: ${String((failed as PromiseRejectedResult).reason)}`);
  return ids;
}

interface CpuSample {
  readonly own: NodeJS.CpuUsage;
  readonly system: ReturnType<typeof readSystemCpu>;
  readonly mariadb: ReturnType<typeof readCpuTicks> | undefined;
  readonly redisUs: number | undefined;
}

async function sampleCpu(args: DrainArgs, redisInfo: ReturnType<typeof openRedis> | undefined): Promise<CpuSample> {
  let mariadb: ReturnType<typeof readCpuTicks> | undefined;
  try {
    mariadb = args.mariadbPid === undefined ? undefined : readCpuTicks(args.mariadbPid);
  } catch {
    mariadb = undefined;
  }
  let redisUs: number | undefined;
  try {
    redisUs = redisInfo ? parseRedisCpuMicros(await redisInfo.info('cpu')) : undefined;
  } catch {
    redisUs = undefined;
  }
  return { own: process.cpuUsage(), system: readSystemCpu(), mariadb, redisUs };
}

async function drain(args: DrainArgs): Promise<DrainReport> {
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATA_DIR: args.dataDir,
    DATABASE: 'mysql',
    MYSQL_URL: args.mysqlUrl,
    MESSAGE_STORE: 'sql',
    BACKPLANE: args.queue,
  };
  if (args.queue === 'redis') {
    env['REDIS_URL'] = args.redisUrl ?? '';
    env['REDIS_KEY_PREFIX'] = args.redisKeyPrefix ?? '';
  }
  for (const name of PERSISTER_VARIABLES) if (process.env[name]) env[name] = process.env[name]!;
  const config = loadConfig(env);

  const dataSource = createDataSource(config.database, APP_TABLES);
  await dataSource.initialize();
  const parts = queueParts(config);
  const redisInfo = args.queue === 'redis' && args.redisUrl ? openRedis(args.redisUrl) : undefined;
  redisInfo?.on('error', () => undefined);
  try {
    await runPendingMigrations(dataSource);
    await redisInfo?.connect();
    const store = new SqlMessageStore(dataSource, new Transactions(dataSource));

    const fillStarted = performance.now();
    const ids = await fill(parts.backplane, args);
    const fillS = (performance.now() - fillStarted) / 1000;
    const queued = await parts.queue.backlog();
    if (queued !== args.messages)
      throw new Error(`the persist queue holds ${queued} entries after ${args.messages} publishes`);

    const persisterLog: string[] = [];
    const record = (level: string) => (fields: object, message: string) => {
      if (persisterLog.length < 5) persisterLog.push(`${level}: ${message} ${JSON.stringify(fields).slice(0, 200)}`);
    };
    const log: Pick<Log, 'info' | 'warn' | 'error'> = {
      info: () => undefined,
      warn: record('warn'),
      error: record('error'),
    };
    let written = 0;
    let rejected = 0;
    const persister = new MessagePersister(parts.queue, store, { consumer: 'bench-drain', ...config.persister }, log, {
      written: (count) => (written += count),
      failed: () => undefined,
      rejected: (_reason, count) => (rejected += count),
    });

    const before = await sampleCpu(args, redisInfo);
    const started = performance.now();
    persister.start();
    const deadline = Date.now() + args.drainTimeoutMs;
    let backlog = queued;
    while (backlog > 0) {
      if (Date.now() > deadline) {
        await persister.stop();
        throw new Error(`backlog still ${backlog} of ${args.messages} after ${args.drainTimeoutMs} ms`);
      }
      await sleep(BACKLOG_POLL_MS);
      backlog = await parts.queue.backlog();
    }
    const drainS = (performance.now() - started) / 1000;
    const after = await sampleCpu(args, redisInfo);
    await persister.stop();

    const rows = (await dataSource.query('SELECT id, room_id AS roomId, seq FROM messages')) as Array<{
      id: string;
      roomId: string;
      seq: string | number;
    }>;
    const stored: StoredRow[] = rows.map((row) => ({ id: row.id, roomId: row.roomId, seq: Number(row.seq) }));
    const own = process.cpuUsage(before.own);
    const ticks = clockTicksPerSecond();
    const ticksToUs = (value: number): number => (value * 1_000_000) / ticks;
    return {
      batchSize: config.persister.batchSize,
      fillS,
      drainS,
      written,
      rejected,
      storedRows: stored.length,
      distinctIds: new Set(stored.map((row) => row.id)).size,
      verifyProblem: exactlyOnceProblem(ids, stored),
      persisterCpuUs: own.user + own.system,
      mariadbCpuUs: before.mariadb && after.mariadb ? cpuMicrosBetween(before.mariadb, after.mariadb, ticks) : null,
      redisCpuUs: before.redisUs !== undefined && after.redisUs !== undefined ? after.redisUs - before.redisUs : null,
      systemBusyUs: ticksToUs(
        after.system.busy - after.system.interrupt - (before.system.busy - before.system.interrupt),
      ),
      persisterLog,
    };
  } finally {
    await Promise.allSettled([parts.queue.close(), parts.backplane.close()]);
    redisInfo?.disconnect();
    await dataSource.destroy().catch(() => undefined);
  }
}

function reply(message: DrainMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

if (!process.send) {
  console.error('drain-worker must be started by bench/run.js (it needs an IPC channel)');
  process.exit(2);
}
// The orchestrator went away (crash, Ctrl-C): stop at once.
process.on('disconnect', () => process.exit(0));

const args = JSON.parse(process.argv[2] ?? '{}') as DrainArgs;
drain(args).then(
  async (report) => {
    await reply({ kind: 'result', report });
    process.exit(0);
  },
  async (error: unknown) => {
    await reply({ kind: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.exit(1);
  },
);
