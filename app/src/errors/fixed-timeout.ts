interface Pending {
  readonly at: number;
  readonly onTimeout: () => Error;
  /** Cleared when the work settles first. */
  reject: ((error: Error) => void) | undefined;
}

/**
 * Bounds many promises by the same time, with one timer for all of them instead of a timer (and
 * a race) per promise: for a SEND, the per-promise version was a tenth of the in-process SEND
 * path. Because every bound has the same length, deadlines come in the order the work started,
 * so the pending list is a queue: what settles at its front leaves at once, and the one timer
 * only ever waits for the front's deadline. Like withinTime, the work itself is not cancelled;
 * its caller just stops waiting.
 */
export class FixedTimeout {
  private readonly pending: Pending[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly ms: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The work's outcome if it settles within `ms`, else a rejection with `onTimeout()`. */
  bound<T>(work: Promise<T>, onTimeout: () => Error): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const entry: Pending = { at: this.now() + this.ms, onTimeout, reject };
      this.pending.push(entry);
      this.arm();
      work.then(
        (value) => {
          this.settle(entry);
          resolve(value);
        },
        (error: unknown) => {
          this.settle(entry);
          reject(error);
        },
      );
    });
  }

  /** How many bounds are still waiting (for tests and metrics). */
  get waiting(): number {
    let count = 0;
    for (let i = this.head; i < this.pending.length; i++) if (this.pending[i].reject !== undefined) count++;
    return count;
  }

  private settle(entry: Pending): void {
    entry.reject = undefined;
    this.dropSettledFront();
  }

  private expire(): void {
    this.timer = undefined;
    const now = this.now();
    while (this.head < this.pending.length) {
      const front = this.pending[this.head];
      if (front.reject !== undefined && front.at > now) break;
      this.head++;
      const reject = front.reject;
      front.reject = undefined;
      reject?.(front.onTimeout());
    }
    this.compact();
    this.arm();
  }

  private dropSettledFront(): void {
    while (this.head < this.pending.length && this.pending[this.head].reject === undefined) this.head++;
    this.compact();
  }

  private compact(): void {
    if (this.head === this.pending.length) {
      this.pending.length = 0;
      this.head = 0;
    } else if (this.head > 1_024 && this.head * 2 > this.pending.length) {
      this.pending.splice(0, this.head);
      this.head = 0;
    }
  }

  private arm(): void {
    if (this.timer !== undefined || this.head === this.pending.length) return;
    const wait = Math.max(0, this.pending[this.head].at - this.now());
    this.timer = setTimeout(() => this.expire(), wait);
    // A bound must not keep the process alive on its own (the work it waits for may).
    this.timer.unref();
  }
}
