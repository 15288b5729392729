import type { Redis } from 'ioredis';
import { DEFAULT_CLAIM_IDLE_MS } from './local-persist-queue.js';
import type { PersistEntry, PersistQueue } from './persist-queue.port.js';
import { closeConnection } from '../redis/redis-connection.js';
import { RedisKeys } from './redis-keys.js';
import { decodeFrame } from './redis-message-codec.js';
import { PersistPartition, type StreamEntry } from './redis-persist-partition.js';
import { frameFromFields } from './redis-publish-script.js';

export { PERSIST_GROUP } from './redis-persist-partition.js';

/**
 * With several partitions no single XREADGROUP BLOCK can wait on all of them (their streams sit
 * in different slots), so an empty read polls them again after this long until blockMs is over.
 */
export const PARTITION_POLL_MS = 100;

export interface RedisPersistQueueOptions {
  /** Command connection (see createCommandConnection); the queue closes it. */
  readonly commands: Redis;
  /** Dedicated connection for XREADGROUP BLOCK (see createBlockingConnection); the queue closes it. */
  readonly blocking: Redis;
  readonly keyPrefix: string;
  /** Cluster mode's partition count (RedisClusterConfig.partitions); absent on a single node. */
  readonly partitions?: number;
  /** Entries read but unacknowledged this long are handed to the next reader. */
  readonly claimIdleMs?: number;
  /** Entries that cannot be decoded (left pending, so a newer version can take them). */
  readonly onError?: (message: string, error?: unknown) => void;
}

/**
 * The persist hand-off on Redis: the publish script XADDs every sequenced message to a persist
 * stream (`<prefix>{persist}:stream` on a single node; in cluster mode one per partition,
 * `<prefix>{p:<k>}:persist`), read through the consumer group `persister`. Every instance's
 * persister reads every partition: the group hands each entry to one of them.
 *
 * Crash safety comes from the group's pending entries list: an entry read by a consumer stays
 * pending until acknowledged; if that consumer dies, the next read by anyone claims it once it
 * has been idle `claimIdleMs` (XAUTOCLAIM). Acknowledging removes the entry (XACK + XDEL in one
 * MULTI), so a stream holds exactly the backlog and is never trimmed otherwise: nothing
 * unpersisted is dropped, and a store outage shows as a growing backlog in Redis memory.
 *
 * Entry ids are the stream's own on a single node, `<partition>/<stream id>` with partitions.
 */
export class RedisPersistQueue implements PersistQueue {
  private readonly commands: Redis;
  private readonly blocking: Redis;
  private readonly partitions: PersistPartition[];
  /** Where the next read starts, so no partition waits behind busy ones. */
  private nextPartition = 0;
  private closed = false;

  constructor(private readonly options: RedisPersistQueueOptions) {
    this.commands = options.commands;
    this.blocking = options.blocking;
    const claimIdleMs = options.claimIdleMs ?? DEFAULT_CLAIM_IDLE_MS;
    this.partitions = new RedisKeys(options.keyPrefix, options.partitions)
      .persistStreams()
      .map((stream) => new PersistPartition(stream, this.commands, claimIdleMs));
    const report = (role: string) => (error: Error) => this.report(`redis ${role} connection: ${error.message}`);
    this.commands.on('error', report('persist command'));
    this.blocking.on('error', report('persist blocking'));
  }

  async read(consumer: string, count: number, blockMs: number): Promise<PersistEntry[]> {
    if (this.closed) throw new Error('persist queue is closed');
    try {
      if (this.partitions.length === 1) {
        const entries = await this.partitions[0]!.read(this.blocking, consumer, count, blockMs);
        return this.decode(entries, undefined);
      }
      return await this.poll(consumer, count, blockMs);
    } catch (error) {
      if (this.closed) return [];
      throw error;
    }
  }

  async acknowledge(entryIds: readonly string[]): Promise<void> {
    if (entryIds.length === 0) return;
    if (this.partitions.length === 1) return this.partitions[0]!.acknowledge(entryIds);
    const byPartition = new Map<number, string[]>();
    for (const entryId of entryIds) {
      const slash = entryId.indexOf('/');
      const partition = Number(entryId.slice(0, slash));
      if (slash < 0 || this.partitions[partition] === undefined) throw new Error(`unknown persist entry ${entryId}`);
      const ids = byPartition.get(partition) ?? [];
      ids.push(entryId.slice(slash + 1));
      byPartition.set(partition, ids);
    }
    await Promise.all([...byPartition].map(([partition, ids]) => this.partitions[partition]!.acknowledge(ids)));
  }

  async backlog(): Promise<number> {
    const lengths = await Promise.all(this.partitions.map((partition) => partition.backlog()));
    return lengths.reduce((sum, length) => sum + length, 0);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // A blocked XREADGROUP would hold QUIT back for up to its BLOCK time: drop that socket.
    this.blocking.disconnect();
    await closeConnection(this.commands);
  }

  /** Reads the partitions in turn (non-blocking) until `count` entries, polling again until `blockMs` is over. */
  private async poll(consumer: string, count: number, blockMs: number): Promise<PersistEntry[]> {
    const deadline = Date.now() + blockMs;
    for (;;) {
      const entries = await this.readRound(consumer, count);
      const left = deadline - Date.now();
      if (entries.length > 0 || left <= 0 || this.closed) return entries;
      await new Promise((resolve) => setTimeout(resolve, Math.min(PARTITION_POLL_MS, left)));
    }
  }

  private async readRound(consumer: string, count: number): Promise<PersistEntry[]> {
    const start = this.nextPartition;
    this.nextPartition = (start + 1) % this.partitions.length;
    const read: PersistEntry[] = [];
    for (let i = 0; i < this.partitions.length && read.length < count; i++) {
      const index = (start + i) % this.partitions.length;
      const entries = await this.partitions[index]!.read(this.commands, consumer, count - read.length, 0);
      read.push(...this.decode(entries, index));
    }
    return read;
  }

  private decode(entries: readonly StreamEntry[], partition: number | undefined): PersistEntry[] {
    const decoded: PersistEntry[] = [];
    for (const [id, fields] of entries) {
      const entryId = partition === undefined ? id.toString() : `${partition}/${id.toString()}`;
      try {
        decoded.push({ entryId, message: decodeFrame(frameFromFields(fields)) });
      } catch (error) {
        this.report(`persist entry ${entryId} cannot be decoded; left pending`, error);
      }
    }
    return decoded;
  }

  private report(message: string, error?: unknown): void {
    this.options.onError?.(message, error);
  }
}
