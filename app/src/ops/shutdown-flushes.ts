/**
 * Work that must finish before the process exits, run by the graceful drain after the
 * sessions are closed (e.g. the message persister writing what it still holds). Features
 * register here instead of the drain knowing about them.
 */
export class ShutdownFlushes {
  private readonly flushes: Array<() => Promise<void>> = [];

  register(flush: () => Promise<void>): void {
    this.flushes.push(flush);
  }

  get all(): ReadonlyArray<() => Promise<void>> {
    return this.flushes;
  }
}
