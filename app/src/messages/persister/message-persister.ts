import type { PersistEntry, PersistQueue } from '../../backplane/persist-queue.port.js';
import type { Log } from '../../ops/log.port.js';
import type { MessageStore, RejectionReason, SaveBatchResult } from '../store/message-store.port.js';
import { roomMessageOf } from '../store/room-message-of.js';
import type { StoredMessage } from '../store/stored-message.js';
import { backoffDelay } from './backoff.js';

/** How long an idle read waits for new entries before looking again. */
export const IDLE_READ_BLOCK_MS = 1_000;
/** How often the backlog gauge is refreshed besides after every batch (it keeps moving during an outage). */
const BACKLOG_REFRESH_MS = 5_000;
/** The least time between two backlog reads after batches. */
const BACKLOG_MIN_GAP_MS = 1_000;
/** How long stop() waits for a batch in flight (a store call that hangs must not hang shutdown). */
const STOP_WAIT_MS = 5_000;

export interface PersisterOptions {
  /** This instance's name in the queue's consumer group. */
  readonly consumer: string;
  readonly batchSize: number;
  readonly retryInitialMs: number;
  readonly retryMaxMs: number;
  /** How long flush() may spend writing what is still queued. */
  readonly flushTimeoutMs: number;
  /** @default IDLE_READ_BLOCK_MS */
  readonly blockMs?: number;
  /**
   * After a batch smaller than batchSize, wait this long before reading again, so that under a
   * steady trickle each read/write/acknowledge round carries many messages instead of one
   * (per-message queue round trips dominated the Redis backplane's CPU in the benchmark).
   * Stored later, never delivered later. @default 0
   */
  readonly lingerMs?: number;
}

export interface PersisterMetrics {
  written(count: number): void;
  failed(): void;
  rejected(reason: RejectionReason, count: number): void;
}

/** A dependency the persister cannot use right now, since `since`. */
export interface Outage {
  readonly since: number;
  failures: number;
  lastError: string;
}

const TIMED_OUT = Symbol('timed out');

const noMetrics: PersisterMetrics = { written: () => {}, failed: () => {}, rejected: () => {} };

/**
 * The write-behind persister: moves room messages from the persist queue into the store.
 *
 * One loop per instance reads a batch (as consumer `options.consumer`), keeps the room
 * messages (`/topic/rooms.{roomId}`; everything else is acknowledged without being stored),
 * writes them with one saveBatch, and only then acknowledges the whole batch. Delivery never
 * waits on any of this: publishing only appends to the queue.
 *
 * When the store fails, the same batch is retried with exponential backoff and jitter (capped
 * at retryMaxMs) until it is written; nothing is acknowledged meanwhile, so nothing is lost and
 * the queue's backlog grows where operators can see it. The outage is logged once when it
 * starts and once when it ends, not per retry. If acknowledging fails, the queue hands the
 * entries out again later and saveBatch, being idempotent, stores them once.
 *
 * flush() (run by the graceful drain) stops the loop and keeps persisting what is queued until
 * the queue is empty or flushTimeoutMs has passed.
 */
export class MessagePersister {
  private readonly blockMs: number;
  private loop: Promise<void> | undefined;
  private flushing: Promise<void> | undefined;
  private stopping = false;
  /** Retries give up after this instant; set by flush(). */
  private deadline = Number.POSITIVE_INFINITY;
  private readonly sleepers = new Set<() => void>();
  private backlogTimer: NodeJS.Timeout | undefined;
  private backlogReadAt = 0;
  private storeDown: Outage | undefined;
  private queueDown: Outage | undefined;
  private queueFailures = 0;
  private lastBacklog = 0;
  private writtenCount = 0;

  constructor(
    private readonly queue: PersistQueue,
    private readonly store: MessageStore,
    private readonly options: PersisterOptions,
    private readonly log: Pick<Log, 'info' | 'warn' | 'error'>,
    private readonly metrics: PersisterMetrics = noMetrics,
    private readonly random: () => number = Math.random,
  ) {
    this.blockMs = options.blockMs ?? IDLE_READ_BLOCK_MS;
  }

  /** The store outage in progress, if any (for readiness and tests). */
  get storeOutage(): Readonly<Outage> | undefined {
    return this.storeDown;
  }

  /** Queue entries not yet acknowledged, as last read (refreshed after each batch and every few seconds). */
  get backlog(): number {
    return this.lastBacklog;
  }

  /**
   * The backlog read from the queue now, for a metrics scrape: the gauge is then current, not up
   * to five seconds old. Falls back to the last value when the queue does not answer in time.
   */
  async currentBacklog(timeoutMs = 1_000): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    try {
      await Promise.race([this.refreshBacklog(), timeout]);
    } finally {
      clearTimeout(timer);
    }
    return this.lastBacklog;
  }

  /** Messages this persister has seen stored. */
  get written(): number {
    return this.writtenCount;
  }

  start(): void {
    if (this.loop !== undefined || this.stopping) return;
    this.backlogTimer = setInterval(() => void this.refreshBacklog(), BACKLOG_REFRESH_MS);
    this.backlogTimer.unref();
    this.loop = this.run();
  }

  /**
   * Stops the loop after its current batch, waiting for that at most `waitMs`. A batch the store
   * keeps refusing (or never answers for) is left in the queue, unacknowledged, rather than
   * retried on: the queue hands it to another instance, or to this one after a restart.
   */
  async stop(waitMs = STOP_WAIT_MS): Promise<void> {
    this.stopping = true;
    clearInterval(this.backlogTimer);
    this.wakeSleepers();
    if (waitMs === Number.POSITIVE_INFINITY) {
      await this.loop;
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.loop, new Promise((resolve) => (timer = setTimeout(resolve, waitMs)))]);
    clearTimeout(timer);
  }

  /** Stops the loop, then persists what is queued until the queue is empty or flushTimeoutMs has passed. */
  flush(): Promise<void> {
    this.flushing ??= this.drain();
    return this.flushing;
  }

  private async run(): Promise<void> {
    const lingerMs = this.options.lingerMs ?? 0;
    while (!this.stopping) {
      const settled = await this.cycle(this.blockMs);
      if (settled > 0 && settled < this.options.batchSize && lingerMs > 0) await this.sleep(lingerMs);
    }
  }

  private async drain(): Promise<void> {
    const startedAt = Date.now();
    this.deadline = startedAt + this.options.flushTimeoutMs;
    // Every wait is bounded by the deadline, even a store call that hangs: its batch simply
    // stays unacknowledged in the queue.
    let handled = 0;
    if ((await this.beforeDeadline(this.stop(Number.POSITIVE_INFINITY))) !== TIMED_OUT) {
      // Bounded by what is queued now, so a flush ends even while other instances keep publishing.
      const queued = await this.beforeDeadline(this.queue.backlog().catch(() => 0));
      while (queued !== TIMED_OUT && handled < queued) {
        const count = await this.beforeDeadline(this.cycle(0));
        if (count === TIMED_OUT || count === 0) break;
        handled += count;
      }
    }
    await this.beforeDeadline(this.refreshBacklog(), 1_000);
    const fields = { handled, backlog: this.lastBacklog, tookMs: Date.now() - startedAt };
    // A backlog left without a timeout or an outage is other instances' work in progress (Redis).
    if (this.lastBacklog === 0 || (Date.now() < this.deadline && this.storeDown === undefined)) {
      this.log.info(fields, 'persister flushed');
    } else {
      // On Redis they wait for another instance (or the next start); the in-process queue dies with the process.
      this.log.error(
        { ...fields, storeError: this.storeDown?.lastError },
        this.storeDown === undefined
          ? 'persister flush ran out of time with messages still queued'
          : 'persister flush ended with messages still queued: the message store is unavailable',
      );
    }
  }

  /** One read and, when it brought entries, their write and acknowledgement. Returns how many entries were settled. */
  private async cycle(blockMs: number): Promise<number> {
    let entries: PersistEntry[];
    try {
      entries = await this.queue.read(this.options.consumer, this.options.batchSize, blockMs);
    } catch (error) {
      // While stopping, the queue may already be closing; a flush just ends.
      if (this.stopping) return 0;
      this.queueFailed(error);
      await this.pause(this.queueFailures++);
      return 0;
    }
    this.queueRecovered();
    if (entries.length === 0) return 0;
    const settled = await this.persist(entries);
    // At most once a second on the hot path: a round trip per small batch cost ~15 % of a busy
    // server's CPU (profiled), and the gauge does not need more.
    if (Date.now() - this.backlogReadAt >= BACKLOG_MIN_GAP_MS) await this.refreshBacklog();
    return settled ? entries.length : 0;
  }

  /** Writes the batch's room messages (retrying), then acknowledges every entry; false when it gave up. */
  private async persist(entries: readonly PersistEntry[]): Promise<boolean> {
    const messages: StoredMessage[] = [];
    for (const entry of entries) {
      const message = roomMessageOf(entry.message);
      if (message !== undefined) messages.push(message);
    }
    for (let attempt = 0; messages.length > 0; attempt++) {
      try {
        const result = await this.store.saveBatch(messages);
        this.storeRecovered();
        this.recordWritten(result);
        break;
      } catch (error) {
        // The gauge keeps moving during an outage: that backlog is what operators watch.
        await this.refreshBacklog();
        this.storeFailed(error);
        // While stopping without a flush deadline, or past it, leave the batch to the queue.
        if (this.stopping && (this.deadline === Number.POSITIVE_INFINITY || Date.now() >= this.deadline)) return false;
        await this.pause(attempt);
      }
    }
    try {
      await this.queue.acknowledge(entries.map((entry) => entry.entryId));
    } catch (error) {
      this.log.warn(
        { err: error, entries: entries.length },
        'acknowledging persisted messages failed; the queue will hand them out again and they are stored once',
      );
    }
    return true;
  }

  private recordWritten(result: SaveBatchResult): void {
    this.writtenCount += result.stored;
    this.metrics.written(result.stored);
    const byReason = new Map<RejectionReason, StoredMessage[]>();
    for (const { message, reason } of result.rejected) byReason.set(reason, [...(byReason.get(reason) ?? []), message]);
    for (const [reason, messages] of byReason) {
      this.metrics.rejected(reason, messages.length);
      const fields = {
        reason,
        count: messages.length,
        messages: messages.slice(0, 10).map(({ id, roomId, seq }) => ({ id, roomId, seq })),
      };
      if (reason === 'seq-taken') {
        this.log.error(
          fields,
          'messages not stored: their room sequence numbers are taken by other messages (were the room sequences reset?)',
        );
      } else {
        this.log.info(
          fields,
          'client retries stored once: another message with the same x-client-msg-id is already stored',
        );
      }
    }
  }

  private storeFailed(error: unknown): void {
    this.metrics.failed();
    const message = describe(error);
    if (this.storeDown === undefined) {
      this.storeDown = { since: Date.now(), failures: 0, lastError: message };
      this.log.warn(
        { err: error, backlog: this.lastBacklog },
        'message store unavailable: persisting paused and retried with backoff; delivery continues and the backlog grows',
      );
    }
    this.storeDown.failures++;
    this.storeDown.lastError = message;
  }

  private storeRecovered(): void {
    if (this.storeDown === undefined) return;
    const { since, failures } = this.storeDown;
    this.storeDown = undefined;
    this.log.info(
      { downMs: Date.now() - since, failedWrites: failures, backlog: this.lastBacklog },
      'message store available again',
    );
  }

  private queueFailed(error: unknown): void {
    const message = describe(error);
    if (this.queueDown === undefined) {
      this.queueDown = { since: Date.now(), failures: 0, lastError: message };
      this.log.warn({ err: error }, 'reading the persist queue failed; retrying with backoff');
    }
    this.queueDown.failures++;
    this.queueDown.lastError = message;
  }

  private queueRecovered(): void {
    this.queueFailures = 0;
    if (this.queueDown === undefined) return;
    const { since, failures } = this.queueDown;
    this.queueDown = undefined;
    this.log.info({ downMs: Date.now() - since, failedReads: failures }, 'persist queue readable again');
  }

  /** The promise's value, or TIMED_OUT once the flush deadline (plus `graceMs`) has passed. */
  private async beforeDeadline<T>(promise: Promise<T>, graceMs = 0): Promise<T | typeof TIMED_OUT> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => resolve(TIMED_OUT), Math.max(0, this.deadline - Date.now()) + graceMs);
    });
    try {
      return await Promise.race([promise, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async refreshBacklog(): Promise<void> {
    this.backlogReadAt = Date.now();
    try {
      this.lastBacklog = await this.queue.backlog();
    } catch {
      // Keep the last known value; the queue's own outage is reported by its reads.
    }
  }

  /** Waits before retry `attempt`; cut short by stop()/flush(), never past the flush deadline. */
  private pause(attempt: number): Promise<void> {
    if (this.stopping && this.deadline === Number.POSITIVE_INFINITY) return Promise.resolve();
    const delay = Math.min(
      backoffDelay(attempt, this.options.retryInitialMs, this.options.retryMaxMs, this.random),
      Math.max(0, this.deadline - Date.now()),
    );
    return this.sleep(delay);
  }

  /** A wait that stop() and flush() cut short. */
  private sleep(delay: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, delay);
      this.sleepers.add(wake);
    });
  }

  private wakeSleepers(): void {
    for (const wake of [...this.sleepers]) wake();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
