import { Fifo } from '../streams/fifo.js';

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
  private readonly pending = new Fifo<Pending>();
  private waitingCount = 0;
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
      this.waitingCount++;
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
    return this.waitingCount;
  }

  private settle(entry: Pending): void {
    if (entry.reject !== undefined) {
      entry.reject = undefined;
      this.waitingCount--;
    }
    // What settled at the front leaves at once; the rest waits for its turn there.
    while (this.pending.peek()?.reject === undefined && this.pending.length > 0) this.pending.shift();
  }

  private expire(): void {
    this.timer = undefined;
    const now = this.now();
    for (let front = this.pending.peek(); front !== undefined; front = this.pending.peek()) {
      if (front.reject !== undefined && front.at > now) break;
      this.pending.shift();
      const reject = front.reject;
      if (reject === undefined) continue;
      front.reject = undefined;
      this.waitingCount--;
      reject(front.onTimeout());
    }
    this.arm();
  }

  private arm(): void {
    const front = this.pending.peek();
    if (this.timer !== undefined || front === undefined) return;
    this.timer = setTimeout(() => this.expire(), Math.max(0, front.at - this.now()));
    // A bound must not keep the process alive on its own (the work it waits for may).
    this.timer.unref();
  }
}
