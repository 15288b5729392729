import { AppError } from '../errors/app-error.js';

/**
 * At most `maxConcurrent` jobs run at once, at most `maxQueued` wait; beyond that a job is
 * refused at once (LIMIT_BUSY, 503). scrypt runs on libuv's small thread pool (4 threads by
 * default), which file and DNS work share: a login flood must queue here, not there.
 */
export class BoundedWork {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly maxConcurrent: number,
    private readonly maxQueued: number,
  ) {}

  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.running >= this.maxConcurrent) {
      if (this.waiting.length >= this.maxQueued) {
        throw new AppError('LIMIT_BUSY', 'the server is busy checking passwords; retry shortly', {
          retryAfterSeconds: 1,
        });
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await job();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter, so `running` stays counted.
      if (next !== undefined) next();
      else this.running -= 1;
    }
  }
}
