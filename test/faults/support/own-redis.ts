import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '../../../bench/free-port.js';
import { until } from '../../support/until.js';

export interface OwnRedisOptions {
  /** AOF with fsync on every write: a kill -9 loses nothing that was acknowledged. Default off (no persistence at all). */
  readonly appendOnly?: boolean;
  /** Start as a replica of this port. */
  readonly replicaOf?: number;
}

/**
 * A redis-server of the fault suite's own, on a free port and a temporary directory, that the
 * test may kill and restart: the shared Redis other suites use is never touched.
 */
export class OwnRedis {
  private child: ChildProcess | undefined;
  private readonly dir = mkdtempSync(join(tmpdir(), 'fault-redis-'));

  private constructor(
    readonly port: number,
    private readonly options: OwnRedisOptions,
  ) {}

  static async start(options: OwnRedisOptions = {}): Promise<OwnRedis> {
    const redis = new OwnRedis(await freePort(), options);
    await redis.launch();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** kill -9: whatever is not in the AOF is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child === undefined || child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }

  /** kill -9, then the same server (same port, same directory) again. */
  async restart(): Promise<void> {
    await this.kill();
    await this.launch();
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** A short-lived admin connection. */
  async admin<T>(use: (redis: Redis) => Promise<T>): Promise<T> {
    const redis = new Redis(this.port, '127.0.0.1', { maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on('error', () => {}); // a refused connection rejects the command; no event noise
    try {
      return await use(redis);
    } finally {
      redis.disconnect();
    }
  }

  private async launch(): Promise<void> {
    const args = [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--dir',
      this.dir,
      '--save',
      '',
      '--appendonly',
      this.options.appendOnly === true ? 'yes' : 'no',
      '--appendfsync',
      'always',
      '--logfile',
      join(this.dir, 'redis.log'),
    ];
    if (this.options.replicaOf !== undefined) args.push('--replicaof', '127.0.0.1', String(this.options.replicaOf));
    this.child = spawn('redis-server', args, { stdio: 'ignore' });
    this.child.unref();
    await until(async () => {
      try {
        return (await this.admin((redis) => redis.ping())) === 'PONG';
      } catch {
        return false;
      }
    }, 10_000);
  }
}
