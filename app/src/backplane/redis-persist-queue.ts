import type { Redis } from 'ioredis';
import { DEFAULT_CLAIM_IDLE_MS } from './local-persist-queue.js';
import type { PersistEntry, PersistQueue } from './persist-queue.port.js';
import { closeConnection } from '../redis/redis-connection.js';
import { RedisKeys } from './redis-keys.js';
import { decodeFrame } from './redis-message-codec.js';
import { frameFromFields } from './redis-publish-script.js';

export const PERSIST_GROUP = 'persister';

export interface RedisPersistQueueOptions {
  /** Command connection (see createCommandConnection); the queue closes it. */
  readonly commands: Redis;
  /** Dedicated connection for XREADGROUP BLOCK (see createBlockingConnection); the queue closes it. */
  readonly blocking: Redis;
  readonly keyPrefix: string;
  /** Entries read but unacknowledged this long are handed to the next reader. */
  readonly claimIdleMs?: number;
  /** Entries that cannot be decoded (left pending, so a newer version can take them). */
  readonly onError?: (message: string, error?: unknown) => void;
}

type StreamEntry = [Buffer, Buffer[]];

/**
 * The Buffer-reply variants ioredis defines at run time but does not type. (`callBuffer` is no way
 * out: with auto-pipelining, ioredis 5 drops its command name.)
 */
interface StreamBufferCommands {
  xautoclaimBuffer(...args: Array<string | number>): Promise<[Buffer, StreamEntry[], Buffer[]?]>;
  xreadgroupBuffer(...args: Array<string | number>): Promise<Array<[Buffer, StreamEntry[]]> | null>;
}

/**
 * The persist hand-off on Redis: the publish script XADDs every sequenced message to one stream,
 * `<prefix>{persist}:stream`, read through the consumer group `persister`.
 *
 * Crash safety comes from the group's pending entries list: an entry read by a consumer stays
 * pending until acknowledged; if that consumer dies, the next read by anyone claims it once it
 * has been idle `claimIdleMs` (XAUTOCLAIM). Acknowledging removes the entry (XACK + XDEL in one
 * MULTI), so the stream holds exactly the backlog and is never trimmed otherwise: nothing
 * unpersisted is dropped, and a store outage shows as a growing backlog in Redis memory.
 */
export class RedisPersistQueue implements PersistQueue {
  private readonly commands: Redis;
  private readonly blocking: Redis;
  private readonly stream: string;
  private readonly claimIdleMs: number;
  private claimScanAt = Number.NEGATIVE_INFINITY;
  private group: Promise<void> | undefined;
  /** XAUTOCLAIM walks the pending list from here; '0-0' starts over. */
  private claimCursor = '0-0';
  private closed = false;

  constructor(private readonly options: RedisPersistQueueOptions) {
    this.commands = options.commands;
    this.blocking = options.blocking;
    this.stream = new RedisKeys(options.keyPrefix).persistStream;
    this.claimIdleMs = options.claimIdleMs ?? DEFAULT_CLAIM_IDLE_MS;
    const report = (role: string) => (error: Error) => this.report(`redis ${role} connection: ${error.message}`);
    this.commands.on('error', report('persist command'));
    this.blocking.on('error', report('persist blocking'));
  }

  async read(consumer: string, count: number, blockMs: number): Promise<PersistEntry[]> {
    if (this.closed) throw new Error('persist queue is closed');
    try {
      return await this.readOnce(consumer, count, blockMs);
    } catch (error) {
      if (this.closed) return [];
      // The stream (and its group) vanished, e.g. FLUSHALL: make the group again and retry once.
      if (!(error instanceof Error) || !error.message.startsWith('NOGROUP')) throw error;
      this.group = undefined;
      return this.readOnce(consumer, count, blockMs);
    }
  }

  async acknowledge(entryIds: readonly string[]): Promise<void> {
    if (entryIds.length === 0) return;
    const replies = await this.commands
      .multi()
      .xack(this.stream, PERSIST_GROUP, ...entryIds)
      .xdel(this.stream, ...entryIds)
      .exec();
    const failed = replies?.find(([error]) => error !== null);
    if (replies === null || failed !== undefined) throw failed?.[0] ?? new Error('acknowledge: transaction aborted');
  }

  async backlog(): Promise<number> {
    return this.commands.xlen(this.stream);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // A blocked XREADGROUP would hold QUIT back for up to its BLOCK time: drop that socket.
    this.blocking.disconnect();
    await closeConnection(this.commands);
  }

  private async readOnce(consumer: string, count: number, blockMs: number): Promise<PersistEntry[]> {
    await this.ensureGroup();
    const claimed = await this.claimIdle(consumer, count);
    if (claimed.length >= count) return claimed;
    const wait = claimed.length === 0 && blockMs > 0 ? ['BLOCK', Math.ceil(blockMs)] : [];
    const reply = await (this.blocking as Redis & StreamBufferCommands).xreadgroupBuffer(
      'GROUP',
      PERSIST_GROUP,
      consumer,
      'COUNT',
      count - claimed.length,
      ...wait,
      'STREAMS',
      this.stream,
      '>',
    );
    return [...claimed, ...this.decode(reply?.[0]?.[1] ?? [])];
  }

  private async claimIdle(consumer: string, count: number): Promise<PersistEntry[]> {
    // An entry becomes claimable only after claimIdleMs, so a finished scan need not be repeated
    // sooner than a quarter of that: every read paying an XAUTOCLAIM showed in busy profiles.
    const scanDone = this.claimCursor === '0-0';
    if (scanDone && Date.now() - this.claimScanAt < this.claimIdleMs / 4) return [];
    if (scanDone) this.claimScanAt = Date.now();
    const [next, entries] = await (this.commands as Redis & StreamBufferCommands).xautoclaimBuffer(
      this.stream,
      PERSIST_GROUP,
      consumer,
      this.claimIdleMs,
      this.claimCursor,
      'COUNT',
      count,
    );
    this.claimCursor = next.toString();
    return this.decode(entries);
  }

  private ensureGroup(): Promise<void> {
    // Start at 0, not $: entries published before the first persister ever ran are persisted too.
    this.group ??= this.commands.xgroup('CREATE', this.stream, PERSIST_GROUP, 0, 'MKSTREAM').then(
      () => undefined,
      (error: Error) => {
        if (error.message.startsWith('BUSYGROUP')) return;
        this.group = undefined;
        throw error;
      },
    );
    return this.group;
  }

  private decode(entries: readonly StreamEntry[]): PersistEntry[] {
    const decoded: PersistEntry[] = [];
    for (const [id, fields] of entries) {
      const entryId = id.toString();
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
