import type { ChatError } from './errors.js';

/** A room message the server has not acknowledged yet. */
export interface OutboxEntry {
  readonly clientMsgId: string;
  readonly roomId: string;
  readonly body: string;
  readonly contentType: string;
  /** The connection it was last written to; sent again on any later connection. */
  sentOn?: number;
}

interface Waiting {
  readonly entry: OutboxEntry;
  readonly resolve: () => void;
  readonly reject: (error: ChatError) => void;
}

/**
 * Unsent and unacknowledged room messages, oldest first. An entry leaves only on its RECEIPT
 * (or a permanent refusal); every new connection writes the rest again with the same
 * `x-client-msg-id`, which the server de-duplicates cluster-wide, so a message is delivered
 * once whether the first copy got through or not.
 */
export class Outbox {
  private readonly waiting = new Map<string, Waiting>();

  add(entry: OutboxEntry): Promise<void> {
    return new Promise((resolve, reject) => this.waiting.set(entry.clientMsgId, { entry, resolve, reject }));
  }

  /** Entries not yet written on connection `connection`, oldest first, at most `limit`. */
  unsentOn(connection: number, limit: number): OutboxEntry[] {
    const due: OutboxEntry[] = [];
    for (const { entry } of this.waiting.values()) {
      if (due.length >= limit) break;
      if (entry.sentOn !== connection) due.push(entry);
    }
    return due;
  }

  /** How many are written on `connection` and not yet acknowledged. */
  inFlightOn(connection: number): number {
    let count = 0;
    for (const { entry } of this.waiting.values()) if (entry.sentOn === connection) count++;
    return count;
  }

  acknowledged(clientMsgId: string): void {
    const waiting = this.waiting.get(clientMsgId);
    if (waiting === undefined) return;
    this.waiting.delete(clientMsgId);
    waiting.resolve();
  }

  refused(clientMsgId: string, error: ChatError): void {
    const waiting = this.waiting.get(clientMsgId);
    if (waiting === undefined) return;
    this.waiting.delete(clientMsgId);
    waiting.reject(error);
  }

  has(clientMsgId: string): boolean {
    return this.waiting.has(clientMsgId);
  }

  get size(): number {
    return this.waiting.size;
  }

  rejectAll(error: ChatError): void {
    const all = [...this.waiting.values()];
    this.waiting.clear();
    for (const waiting of all) waiting.reject(error);
  }
}
