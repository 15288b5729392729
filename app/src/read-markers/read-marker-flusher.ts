import type { Log } from '../ops/log.port.js';
import type { ReadMarkerBuffer } from './read-marker-buffer.js';
import type { ReadMarkersRepository } from './read-markers.repository.js';

/**
 * Writes the buffered read markers every interval and once more on shutdown. A failed write
 * puts its markers back (keeping anything newer reported meanwhile) for the next attempt.
 * Flushes never overlap: each waits for the one before.
 */
export class ReadMarkerFlusher {
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly buffer: ReadMarkerBuffer,
    private readonly repository: ReadMarkersRepository,
    private readonly intervalMs: number,
    private readonly log: Log,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.flush().catch(() => undefined), this.intervalMs);
    this.timer.unref();
  }

  /** Writes what is pending now; rejects (with the markers put back) when the write fails. */
  flush(): Promise<void> {
    const run = this.chain.then(() => this.flushOnce());
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Stops the timer and writes what is left. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private async flushOnce(): Promise<void> {
    const markers = this.buffer.take();
    if (markers.length === 0) return;
    try {
      await this.repository.writeAll(markers);
      this.buffer.settle();
    } catch (error) {
      this.buffer.restore(markers);
      this.log.warn(
        { err: error, markers: markers.length },
        'writing read markers failed; keeping them for the next flush',
      );
      throw error;
    }
  }
}
