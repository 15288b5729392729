import type { FeedItem } from '../src/chat-client.js';

/** A message as the page shows it: its latest text, and whether it was edited or deleted. */
export interface ShownMessage {
  readonly seq: number;
  readonly senderId: string;
  readonly sender: string;
  readonly sentAt: string;
  body: string;
  edited: boolean;
  deleted: boolean;
}

/**
 * What the page knows of one room, without any DOM: its messages by seq (history pages and live
 * events applied in any order give the same result), the cursor for older pages, and unread count.
 */
export class RoomModel {
  readonly messages = new Map<number, ShownMessage>();
  /** Edits and deletions whose message is not loaded yet (an older page brings it). */
  private readonly pendingChanges = new Map<number, FeedItem[]>();
  nextBefore: number | null = null;
  unread = 0;
  lastSeq = 0;

  constructor(
    readonly id: string,
    public name: string,
  ) {}

  /** Applies one sequenced item; true when it was a new chat message. */
  apply(item: FeedItem): boolean {
    this.lastSeq = Math.max(this.lastSeq, item.seq);
    if (item.type === 'message') {
      if (this.messages.has(item.seq)) return false;
      const event = item.event;
      this.messages.set(item.seq, {
        seq: item.seq,
        senderId: event.senderId,
        sender: event.sender,
        sentAt: event.sentAt,
        body: event.body,
        edited: Boolean(event.editedAt),
        deleted: Boolean(event.deletedAt),
      });
      for (const change of this.pendingChanges.get(item.seq) ?? []) this.apply(change);
      this.pendingChanges.delete(item.seq);
      return true;
    }
    const target = this.messages.get(item.event.targetSeq);
    if (target === undefined) {
      const waiting = this.pendingChanges.get(item.event.targetSeq) ?? [];
      this.pendingChanges.set(item.event.targetSeq, [...waiting, item]);
      return false;
    }
    if (item.type === 'delete') {
      target.deleted = true;
      target.body = '';
    } else if (!target.deleted) {
      target.body = item.event.body;
      target.edited = true;
    }
    return false;
  }

  /** Oldest first. */
  ordered(): ShownMessage[] {
    return [...this.messages.values()].sort((a, b) => a.seq - b.seq);
  }
}
