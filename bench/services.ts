/**
 * Redis and MariaDB for the scenarios that need them: where they are, whether they answer, a
 * fresh key prefix (or scratch database) per attempt, and cleaning up after it. The pure parts
 * (URL defaults, redaction, key patterns, INFO parsing) are unit-tested; the rest talks to the
 * services, always with bounded timeouts and loops.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import mysql from 'mysql2/promise';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
export const DEFAULT_RABBITMQ_URL = 'amqp://guest:guest@127.0.0.1:5672';

/** RABBITMQ_URL, else the local default (guest/guest on 5672). */
export function resolveRabbitUrl(env: Readonly<Record<string, string | undefined>>): string {
  return env['RABBITMQ_URL'] || DEFAULT_RABBITMQ_URL;
}
export const DEFAULT_MYSQL_URL = 'mysql://root@127.0.0.1:3306';

type Env = Readonly<Record<string, string | undefined>>;

/** REDIS_URL, else REDIS_HOST/REDIS_PORT, else the local default. */
export function resolveRedisUrl(env: Env): string {
  if (env['REDIS_URL']) return env['REDIS_URL'];
  if (env['REDIS_HOST']) return `redis://${env['REDIS_HOST']}:${env['REDIS_PORT'] || '6379'}`;
  return DEFAULT_REDIS_URL;
}

/** MYSQL_URL (its database part is ignored: drain scenarios make their own), else the local default. */
export function resolveMysqlUrl(env: Env): string {
  return env['MYSQL_URL'] || DEFAULT_MYSQL_URL;
}

/** The URL without its password, for reports and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return '(unparseable URL)';
  }
}

/** `bench:<8 hex>:`; every key a benchmark server writes starts with it. */
export function randomKeyPrefix(bytes: Buffer = randomBytes(4)): string {
  return `bench:${bytes.toString('hex')}:`;
}

/** `bench_<12 hex>`: a database name that needs no quoting. */
export function scratchDatabaseName(bytes: Buffer = randomBytes(6)): string {
  return `bench_${bytes.toString('hex')}`;
}

/** A SCAN MATCH pattern for every key starting with `prefix` (glob characters escaped). */
export function keyPattern(prefix: string): string {
  return `${prefix.replace(/[\\*?[\]]/g, (char) => `\\${char}`)}*`;
}

/** used_cpu_sys + used_cpu_user from `INFO cpu`, in µs (all of Redis' threads); undefined if absent. */
export function parseRedisCpuMicros(info: string): number | undefined {
  const field = (name: string): number | undefined => {
    const match = new RegExp(`^${name}:([0-9.]+)\\s*$`, 'm').exec(info);
    return match ? Number(match[1]) : undefined;
  };
  const sys = field('used_cpu_sys');
  const user = field('used_cpu_user');
  if (sys === undefined || user === undefined) return undefined;
  return Math.round((sys + user) * 1_000_000);
}

/** The pid in a pid file's text, or undefined. */
export function parsePid(text: string): number | undefined {
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

export type Availability = { readonly available: true } | { readonly available: false; readonly reason: string };

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message || (error as { code?: string }).code || error.name;
  return String(error);
}

/** An admin connection that fails fast instead of retrying: the benchmark only probes and cleans. */
export function openRedis(url: string): Redis {
  return new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2_000,
    commandTimeout: 5_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
    connectionName: 'stomp-bench-admin',
  });
}

/** The Redis the Redis scenarios use; `admin` is set only when it answered PING. */
export class BenchRedis {
  private attempts = 0;

  private constructor(
    readonly url: string,
    readonly runPrefix: string,
    readonly availability: Availability,
    private readonly admin: Redis | undefined,
  ) {}

  static async connect(url: string, runPrefix = randomKeyPrefix()): Promise<BenchRedis> {
    const admin = openRedis(url);
    admin.on('error', () => undefined); // reported through the probe's result
    try {
      await admin.connect();
      await admin.ping();
      return new BenchRedis(url, runPrefix, { available: true }, admin);
    } catch (error) {
      admin.disconnect();
      return new BenchRedis(
        url,
        runPrefix,
        { available: false, reason: `no Redis at ${redactUrl(url)}: ${errorText(error)}` },
        undefined,
      );
    }
  }

  /** A fresh prefix for one scenario attempt, under this run's prefix. */
  attemptPrefix(): string {
    return `${this.runPrefix}${++this.attempts}:`;
  }

  /** Redis' own CPU so far (µs), for subtracting it from "other" CPU; undefined when not known. */
  async cpuMicros(): Promise<number | undefined> {
    if (!this.admin) return undefined;
    try {
      return parseRedisCpuMicros(await this.admin.info('cpu'));
    } catch {
      return undefined;
    }
  }

  /** Deletes every key under `prefix`; bounded in rounds and time. Returns how many were deleted. */
  async deleteKeys(prefix: string, timeoutMs = 30_000): Promise<number> {
    if (!this.admin) return 0;
    return deleteKeysWithPrefix(this.admin, prefix, timeoutMs);
  }

  async close(): Promise<void> {
    if (!this.admin) return;
    try {
      await this.admin.quit();
    } catch {
      this.admin.disconnect();
    }
  }
}

export async function deleteKeysWithPrefix(redis: Redis, prefix: string, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  const pattern = keyPattern(prefix);
  let cursor = '0';
  let deleted = 0;
  for (let round = 0; round < 100_000 && Date.now() < deadline; round++) {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1_000);
    if (keys.length > 0) deleted += await redis.unlink(...keys);
    cursor = next;
    if (cursor === '0') break;
  }
  return deleted;
}

/** MariaDB for the drain scenarios: scratch databases and the server's pid (for its CPU). */
export class BenchMariaDb {
  /** Scratch databases created and not dropped yet (dropped on Ctrl-C too). */
  private readonly scratches = new Set<string>();

  private constructor(
    readonly url: string,
    readonly availability: Availability,
    /** mariadbd's pid when it runs on this machine and its pid file is readable. */
    readonly pid: number | undefined,
  ) {}

  static async connect(url: string): Promise<BenchMariaDb> {
    let connection: mysql.Connection;
    try {
      connection = await mysql.createConnection({ ...connectionOptions(url), connectTimeout: 3_000 });
    } catch (error) {
      return new BenchMariaDb(
        url,
        { available: false, reason: `no MariaDB at ${redactUrl(url)}: ${errorText(error)}` },
        undefined,
      );
    }
    try {
      const [rows] = await connection.query('SELECT @@pid_file AS pidFile');
      const pidFile = (rows as Array<{ pidFile?: string }>)[0]?.pidFile;
      return new BenchMariaDb(url, { available: true }, pidFile ? readPid(pidFile) : undefined);
    } catch (error) {
      return new BenchMariaDb(
        url,
        { available: false, reason: `MariaDB at ${redactUrl(url)} failed a query: ${errorText(error)}` },
        undefined,
      );
    } finally {
      await connection.end().catch(() => undefined);
    }
  }

  /** Creates `bench_<random>` and returns the server URL pointing at it. */
  async createScratch(): Promise<{ name: string; url: string }> {
    const name = scratchDatabaseName();
    await this.adminQuery(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    this.scratches.add(name);
    const scratch = new URL(this.url);
    scratch.pathname = `/${name}`;
    return { name, url: scratch.toString() };
  }

  async dropScratch(name: string): Promise<void> {
    if (!/^bench_[0-9a-f]+$/.test(name)) throw new Error(`refusing to drop ${name}: not a benchmark scratch database`);
    await this.adminQuery(`DROP DATABASE IF EXISTS ${name}`);
    this.scratches.delete(name);
  }

  /** Drops every scratch database still there (interrupted runs). */
  async dropAllScratch(): Promise<void> {
    await Promise.allSettled([...this.scratches].map((name) => this.dropScratch(name)));
  }

  private async adminQuery(sql: string): Promise<void> {
    const connection = await mysql.createConnection({ ...connectionOptions(this.url), connectTimeout: 3_000 });
    try {
      await connection.query(sql);
    } finally {
      await connection.end().catch(() => undefined);
    }
  }
}

function connectionOptions(serverUrl: string): mysql.ConnectionOptions {
  const url = new URL(serverUrl);
  return {
    host: url.hostname,
    port: url.port === '' ? 3306 : Number(url.port),
    user: decodeURIComponent(url.username) || 'root',
    password: decodeURIComponent(url.password),
  };
}

function readPid(pidFile: string): number | undefined {
  try {
    const pid = parsePid(readFileSync(pidFile, 'utf8'));
    if (pid === undefined) return undefined;
    readFileSync(`/proc/${pid}/stat`, 'utf8'); // on this machine and readable
    return pid;
  } catch {
    return undefined;
  }
}
