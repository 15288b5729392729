import type { PublishedMessage } from './backplane.port.js';
import type { PersistEntry, PersistQueue } from './persist-queue.port.js';
import { Fifo } from '../streams/fifo.js';

export const DEFAULT_CLAIM_IDLE_MS = 30_000;

interface Pending {
  readonly entry: PersistEntry;
  deliveredAt: number;
}

/**
 * The embedded default's persist queue, fed by LocalBackplane's `onSequenced` callback, with the
 * Redis queue's semantics: entries read but not acknowledged within `claimIdleMs` are handed out
 * again, to whichever consumer reads next.
 *
 * Unbounded on purpose: the port promises nothing is dropped. Memory is one entry (the message
 * and its body) per published message not yet acknowledged, so a store outage grows the process
 * by roughly (message size + ~200 bytes) per message until the persister catches up; the
 * backlog() gauge makes that visible. Entries live only as long as the process: a crash loses
 * what was not yet persisted, which is the embedded mode's bargain (one process, no Redis).
 */
export class LocalPersistQueue implements PersistQueue {
  private readonly fresh = new Fifo<PersistEntry>();
  /** Read but unacknowledged, oldest delivery first (a Map keeps insertion order). */
  private readonly pending = new Map<string, Pending>();
  private readonly waiters = new Set<() => void>();
  private nextId = 0;
  private closed = false;

  constructor(
    private readonly claimIdleMs = DEFAULT_CLAIM_IDLE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Pass as LocalBackplane's `onSequenced`. */
  readonly enqueue = (message: PublishedMessage): void => {
    if (this.closed) return;
    this.fresh.push({ entryId: String(++this.nextId), message });
    for (const wake of this.waiters) wake();
  };

  async read(_consumer: string, count: number, blockMs: number): Promise<PersistEntry[]> {
    if (this.closed) throw new Error('persist queue is closed');
    let entries = this.take(count);
    if (entries.length === 0 && blockMs > 0) {
      await this.waitForEntries(blockMs);
      entries = this.closed ? [] : this.take(count);
    }
    return entries;
  }

  acknowledge(entryIds: readonly string[]): Promise<void> {
    for (const id of entryIds) this.pending.delete(id);
    return Promise.resolve();
  }

  backlog(): Promise<number> {
    return Promise.resolve(this.fresh.length + this.pending.size);
  }

  close(): Promise<void> {
    this.closed = true;
    for (const wake of this.waiters) wake();
    return Promise.resolve();
  }

  /** Idle pending entries first (claimed anew), then fresh ones. */
  private take(count: number): PersistEntry[] {
    const now = this.now();
    const taken: PersistEntry[] = [];
    for (const pending of this.pending.values()) {
      if (taken.length >= count || now - pending.deliveredAt < this.claimIdleMs) break;
      taken.push(pending.entry);
    }
    // Moved to the end (after the loop: a Map visits keys re-added while iterating), which keeps
    // the map ordered by delivery time.
    for (const entry of taken) {
      this.pending.delete(entry.entryId);
      this.pending.set(entry.entryId, { entry, deliveredAt: now });
    }
    while (taken.length < count && this.fresh.length > 0) {
      const entry = this.fresh.shift()!;
      this.pending.set(entry.entryId, { entry, deliveredAt: now });
      taken.push(entry);
    }
    return taken;
  }

  private waitForEntries(blockMs: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, blockMs);
      this.waiters.add(wake);
    });
  }
}
