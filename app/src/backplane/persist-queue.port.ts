import type { PublishedMessage } from './backplane.port.js';

/**
 * The durable hand-off from the backplane to the write-behind persister. Every non-ephemeral
 * published message enters the queue in the same atomic step as its publish; the persister
 * reads batches, stores them, then acknowledges. Entries read but never acknowledged (a
 * persister that crashed) are handed out again after `claimIdleMs`, so nothing is lost and
 * several instances can persist at once.
 */
export interface PersistEntry {
  /** Queue-specific id to acknowledge. */
  readonly entryId: string;
  readonly message: PublishedMessage;
}

export interface PersistQueue {
  /** Up to `count` entries for this consumer: first ones left unacknowledged too long by anyone, then new ones. Waits up to `blockMs` when empty. */
  read(consumer: string, count: number, blockMs: number): Promise<PersistEntry[]>;
  acknowledge(entryIds: readonly string[]): Promise<void>;
  /** Entries published but not yet acknowledged (the persister's backlog). */
  backlog(): Promise<number>;
  close(): Promise<void>;
}

export const PERSIST_QUEUE = Symbol('PersistQueue');
