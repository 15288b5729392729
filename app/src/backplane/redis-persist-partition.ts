import type { Redis } from 'ioredis';

export const PERSIST_GROUP = 'persister';

/** A stream entry as ioredis returns it in Buffer mode: id and `[field, value, …]`. */
export type StreamEntry = [Buffer, Buffer[]];

/**
 * The Buffer-reply variants ioredis defines at run time but does not type. (`callBuffer` is no way
 * out: with auto-pipelining, ioredis 5 drops its command name.)
 */
interface StreamBufferCommands {
  xautoclaimBuffer(...args: Array<string | number>): Promise<[Buffer, StreamEntry[], Buffer[]?]>;
  xreadgroupBuffer(...args: Array<string | number>): Promise<Array<[Buffer, StreamEntry[]]> | null>;
}

/**
 * One persist stream read through the consumer group `persister`: its group, its claim scan and
 * its acknowledgements. Every command names only this stream, so on a cluster each goes to the
 * shard owning the stream's slot.
 */
export class PersistPartition {
  private claimScanAt = Number.NEGATIVE_INFINITY;
  private group: Promise<void> | undefined;
  /** XAUTOCLAIM walks the pending list from here; '0-0' starts over. */
  private claimCursor = '0-0';

  constructor(
    readonly stream: string,
    private readonly commands: Redis,
    private readonly claimIdleMs: number,
  ) {}

  /**
   * Entries idle too long under another consumer, then new ones, up to `count`; `reader` runs the
   * XREADGROUP (a blocking connection when `blockMs` > 0). A vanished group is made again once.
   */
  async read(reader: Redis, consumer: string, count: number, blockMs: number): Promise<StreamEntry[]> {
    try {
      return await this.readOnce(reader, consumer, count, blockMs);
    } catch (error) {
      // The stream (and its group) vanished, e.g. FLUSHALL: make the group again and retry once.
      if (!(error instanceof Error) || !error.message.startsWith('NOGROUP')) throw error;
      this.group = undefined;
      return this.readOnce(reader, consumer, count, blockMs);
    }
  }

  /** XACK + XDEL in one MULTI (one slot), so the stream holds exactly the backlog. */
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

  backlog(): Promise<number> {
    return this.commands.xlen(this.stream);
  }

  private async readOnce(reader: Redis, consumer: string, count: number, blockMs: number): Promise<StreamEntry[]> {
    await this.ensureGroup();
    const claimed = await this.claimIdle(consumer, count);
    if (claimed.length >= count) return claimed;
    const wait = claimed.length === 0 && blockMs > 0 ? ['BLOCK', Math.ceil(blockMs)] : [];
    const reply = await (reader as Redis & StreamBufferCommands).xreadgroupBuffer(
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
    return [...claimed, ...(reply?.[0]?.[1] ?? [])];
  }

  private async claimIdle(consumer: string, count: number): Promise<StreamEntry[]> {
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
    return entries;
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
}
