import type { PublishedMessage, RecentMessages } from './backplane.port.js';

/** How many log entries one repair read asks for. */
export const REPAIR_PAGE = 500;

export interface SequenceGateHooks {
  /** Hands a message on, in sequence order. */
  readonly deliver: (message: PublishedMessage) => void;
  /** Reads the replay log: messages with seq > afterSeq. */
  readonly readAfter: (afterSeq: number, limit: number) => Promise<RecentMessages>;
  /** Messages `fromSeq..toSeq` could not be recovered (trimmed from the log, or Redis failed). */
  readonly onLoss: (fromSeq: number, toSeq: number, cause?: unknown) => void;
  /**
   * How long a hole may wait for its messages to arrive by themselves before the log is read.
   * 0 (Redis Pub/Sub: one ordered stream, a hole means loss) repairs at once; a transport that
   * may reorder publishes from different instances (RabbitMQ) gives them a moment.
   */
  readonly repairDelayMs?: number;
}

/**
 * Keeps one destination's deliveries on this instance gap-free and in order. Redis Pub/Sub is
 * at-most-once: messages published while the subscriber connection was down (until ioredis has
 * re-subscribed) never arrive. The gate notices a jump in `seq` (or is told the connection came
 * back) and fills the hole from the replay log before delivering anything newer; messages that
 * arrive meanwhile wait, duplicates are dropped. Ephemeral messages (seq 0) pass straight through.
 */
export class SequenceGate {
  /** The last sequence handed on; undefined until the first message. */
  private last: number | undefined;
  /** publishedAt of the last message handed on: tells a counter restart from a late copy of seq 1. */
  private lastAt = 0;
  private held: PublishedMessage[] = [];
  private repairing = false;
  private repairTimer: NodeJS.Timeout | undefined;

  constructor(private readonly hooks: SequenceGateHooks) {}

  get lastSeq(): number | undefined {
    return this.last;
  }

  /**
   * Starts the gate after `seq` (the destination's counter when the subscription began), for a
   * transport whose publishers' messages may arrive out of order: without it the first arrival
   * would set the start, and an earlier one arriving later would look like a counter reset.
   */
  startAfter(seq: number): void {
    if (this.last === undefined) this.last = seq;
  }

  accept(message: PublishedMessage): void {
    if (message.seq === 0) {
      this.hooks.deliver(message);
      return;
    }
    if (this.repairing) {
      this.held.push(message);
      return;
    }
    const last = this.last;
    // seq 1 after a higher one, published later: the destination's keys were deleted and counting
    // started over. (An older seq 1 is a copy carried again, see RabbitBackplane.carryAgain.)
    const restarted = message.seq === 1 && last !== undefined && last > 1 && message.publishedAt >= this.lastAt;
    if (last === undefined || message.seq === last + 1 || restarted) {
      this.handOn(message);
      if (this.held.length > 0) this.releaseHeld();
    } else if (message.seq > last + 1) {
      this.held.push(message);
      this.scheduleRepair();
    }
    // else: seq <= last, already delivered (a repair read overlapping live delivery).
  }

  private handOn(message: PublishedMessage): void {
    this.last = message.seq;
    this.lastAt = message.publishedAt;
    this.hooks.deliver(message);
  }

  /** Hands on held messages that the one just delivered made contiguous. */
  private releaseHeld(): void {
    this.held.sort((a, b) => a.seq - b.seq);
    while (this.held.length > 0 && this.held[0]!.seq <= this.last! + 1) {
      const next = this.held.shift()!;
      if (next.seq !== this.last! + 1) continue;
      this.handOn(next);
    }
    if (this.held.length === 0 && this.repairTimer !== undefined) {
      clearTimeout(this.repairTimer);
      this.repairTimer = undefined;
    }
  }

  private scheduleRepair(): void {
    const delay = this.hooks.repairDelayMs ?? 0;
    if (delay <= 0) {
      void this.repair();
      return;
    }
    this.repairTimer ??= setTimeout(() => {
      this.repairTimer = undefined;
      if (this.held.length > 0 && !this.repairing) void this.repair();
    }, delay);
    this.repairTimer.unref();
  }

  /** The subscription was re-established: fetch whatever was published in between. */
  catchUp(): void {
    if (this.last !== undefined && !this.repairing) void this.repair();
  }

  private async repair(): Promise<void> {
    this.repairing = true;
    try {
      for (;;) {
        const after = this.last!;
        const page = await this.hooks.readAfter(after, REPAIR_PAGE);
        if (!page.complete) {
          const firstKept = page.messages[0]?.seq ?? page.lastSeq + 1;
          this.hooks.onLoss(after + 1, firstKept - 1);
          this.last = firstKept - 1;
        }
        for (const message of page.messages) {
          if (message.seq !== this.last! + 1) continue;
          this.handOn(message);
        }
        if (page.messages.length < REPAIR_PAGE) break;
      }
    } catch (error) {
      // The log cannot be read (Redis down): give up on the hole rather than hold live traffic.
      const firstHeld = Math.min(...this.held.map((message) => message.seq));
      if (Number.isFinite(firstHeld) && firstHeld > this.last! + 1) {
        this.hooks.onLoss(this.last! + 1, firstHeld - 1, error);
        this.last = firstHeld - 1;
      }
    } finally {
      this.repairing = false;
    }
    const held = this.held.sort((a, b) => a.seq - b.seq);
    this.held = [];
    for (const message of held) this.accept(message);
  }
}
