import type { RevocationsConfig } from '../config/app-config.js';
import type { Revocation } from '../revocations/revocation-log.js';

/** What the feed reads: RevocationLog, or a fake in unit tests. */
export interface RevocationSource {
  createdSince(since: Date): Promise<Revocation[]>;
  prune(before: Date): Promise<number>;
}

export interface RevocationFeedHooks {
  /** Applies one revocation to this instance's live sessions; called once per revocation id. */
  readonly apply: (revocation: Revocation) => void;
  /** A failed poll or prune (the next poll retries). */
  readonly onError: (what: string, error: unknown) => void;
  readonly now?: () => number;
}

const PRUNE_EVERY_POLLS = 600;

/**
 * Reads recent revocations from the database on every instance and applies each exactly once,
 * whether it first arrived over Redis (the fast path, `offer`) or here. Reads overlap (each
 * reaches `lookbackMs` back) so a row whose transaction committed late, or whose writer's clock
 * lags ours, is still seen; the ids applied within that window are remembered so none is
 * applied twice (applying a logout twice would close a session opened after it).
 */
export class RevocationFeed {
  private readonly applied = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private polls = 0;
  private readonly now: () => number;

  constructor(
    private readonly source: RevocationSource,
    private readonly config: RevocationsConfig,
    private readonly hooks: RevocationFeedHooks,
  ) {
    this.now = hooks.now ?? Date.now;
  }

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => void this.poll().catch(() => undefined), this.config.pollIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** A revocation learnt another way (this instance made it, or Redis carried it): apply unless already done. */
  offer(revocation: Revocation): void {
    if (this.applied.has(revocation.id)) return;
    this.applied.set(revocation.id, new Date(revocation.createdAt).getTime());
    this.hooks.apply(revocation);
  }

  /**
   * Reads and applies what is new; rejects when the database could not be read (the caller of
   * a re-check must know). Concurrent callers share one read.
   */
  poll(): Promise<void> {
    this.inFlight ??= this.read().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async read(): Promise<void> {
    const now = this.now();
    let rows: Revocation[];
    try {
      rows = await this.source.createdSince(new Date(now - this.config.lookbackMs));
    } catch (error) {
      this.hooks.onError('reading revocations', error);
      throw error;
    }
    for (const row of rows) this.offer(row);
    this.forgetOlderThan(now - 2 * this.config.lookbackMs);
    if (++this.polls % PRUNE_EVERY_POLLS === 0) {
      this.source
        .prune(new Date(now - this.config.retentionMs))
        .catch((error: unknown) => this.hooks.onError('pruning revocations', error));
    }
  }

  private forgetOlderThan(cutoff: number): void {
    for (const [id, createdAt] of this.applied) if (createdAt < cutoff) this.applied.delete(id);
  }
}
