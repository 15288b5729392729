import { ChatError } from './errors.js';
import type { ChatMessage, MessageDelete, MessageEdit } from './events.js';

/** One sequenced item of a room's stream. */
export type FeedItem =
  | { readonly type: 'message'; readonly seq: number; readonly event: ChatMessage }
  | { readonly type: 'edit'; readonly seq: number; readonly event: MessageEdit }
  | { readonly type: 'delete'; readonly seq: number; readonly event: MessageDelete };

export interface RoomFeedPorts {
  /** The items with afterSeq < seq < beforeSeq, from REST history, any order. */
  fill(afterSeq: number, beforeSeq: number): Promise<readonly FeedItem[]>;
  deliver(item: FeedItem): void;
  /** Items in (afterSeq, beforeSeq) could not be had; the feed goes on after them. */
  gap(afterSeq: number, beforeSeq: number, error: ChatError): void;
}

/**
 * One room's stream as the application sees it: every `x-seq` once, in order. Items at or below
 * the last delivered seq are duplicates (a replay overlapping what came live, a retry); an item
 * past the next expected seq means something was missed (a truncated replay), and the gap is
 * filled from history before the item is delivered. Items arriving meanwhile wait their turn.
 */
export class RoomFeed {
  private readonly queue: FeedItem[] = [];
  private draining = false;
  private closed = false;

  constructor(
    readonly roomId: string,
    /** The last seq delivered (or shown from history); undefined until the first item. */
    public lastSeq: number | undefined,
    private readonly ports: RoomFeedPorts,
  ) {}

  push(item: FeedItem): void {
    if (this.closed) return;
    this.queue.push(item);
    if (!this.draining) void this.drain();
  }

  close(): void {
    this.closed = true;
    this.queue.length = 0;
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0 && !this.closed) {
        const item = this.queue.shift()!;
        if (this.lastSeq !== undefined && item.seq <= this.lastSeq) continue;
        if (this.lastSeq !== undefined && item.seq > this.lastSeq + 1) await this.fillGap(this.lastSeq, item.seq);
        if (this.closed) return;
        this.ports.deliver(item);
        this.lastSeq = item.seq;
      }
    } finally {
      this.draining = false;
    }
  }

  private async fillGap(afterSeq: number, beforeSeq: number): Promise<void> {
    let missing: readonly FeedItem[];
    try {
      missing = await this.ports.fill(afterSeq, beforeSeq);
    } catch (error) {
      const reason =
        error instanceof ChatError ? error : new ChatError('CLIENT_NETWORK', String(error), { cause: error });
      if (!this.closed) this.ports.gap(afterSeq, beforeSeq, reason);
      return;
    }
    for (const item of [...missing].sort((a, b) => a.seq - b.seq)) {
      if (this.closed) return;
      if (item.seq <= (this.lastSeq ?? afterSeq) || item.seq >= beforeSeq) continue;
      this.ports.deliver(item);
      this.lastSeq = item.seq;
    }
    const reached = this.lastSeq ?? afterSeq;
    if (reached < beforeSeq - 1 && !this.closed) {
      this.ports.gap(
        reached,
        beforeSeq,
        new ChatError('HISTORY_UNAVAILABLE', `history has no messages ${reached + 1}..${beforeSeq - 1} yet`),
      );
    }
  }
}
