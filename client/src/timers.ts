/**
 * Every timer the SDK starts goes through one of these, so close() can clear them all and leave
 * nothing behind that keeps a process alive or fires into a closed client.
 */
export class Timers {
  private readonly pending = new Set<ReturnType<typeof setTimeout>>();

  after(ms: number, run: () => void): () => void {
    const handle = setTimeout(
      () => {
        this.pending.delete(handle);
        run();
      },
      Math.max(0, ms),
    );
    this.pending.add(handle);
    return () => {
      clearTimeout(handle);
      this.pending.delete(handle);
    };
  }

  /** Resolves after `ms`, or never if cleared first (callers check whether they were closed). */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.after(ms, resolve));
  }

  get size(): number {
    return this.pending.size;
  }

  clearAll(): void {
    for (const handle of this.pending) clearTimeout(handle);
    this.pending.clear();
  }
}
