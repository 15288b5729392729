/** The part of a Node.js writable stream (a socket) that batching needs. */
export interface Corkable {
  cork(): void;
  uncork(): void;
}

/**
 * Holds a stream's writes until the work of the current tick is done, so every frame or command
 * queued in one tick leaves in one `writev` instead of one system call each. The release runs on
 * process.nextTick, after the promise callbacks of the same tick, so nothing waits for I/O or a
 * timer: a lone write goes out just as soon as before, and a burst (several SENDs in one read,
 * several messages fanned out to one subscriber) costs one system call.
 */
export class TickCork {
  private held: Corkable | undefined;

  /** `streamOf` is asked at each hold: a client may replace its socket when it reconnects. */
  constructor(private readonly streamOf: () => Corkable) {}

  /** Call before each write; cheap when this tick already holds the stream. */
  hold(): void {
    if (this.held !== undefined) return;
    const stream = this.streamOf();
    this.held = stream;
    stream.cork();
    process.nextTick(() => this.release(stream));
  }

  private release(stream: Corkable): void {
    this.held = undefined;
    stream.uncork();
  }
}
