/**
 * `message` is a chat message. `edit` and `delete` are sequenced events that change an earlier
 * message (`targetSeq`): they are kept as rows of their own, so a client paging the stream can
 * apply them, and the store also applies them to their target (see MessageStore.saveBatch).
 */
export type MessageKind = 'message' | 'edit' | 'delete';

/** The kinds that change another message rather than being one. */
export type MessageEventKind = Exclude<MessageKind, 'message'>;

export function isMessageEvent(kind: MessageKind): kind is MessageEventKind {
  return kind !== 'message';
}

/**
 * Longest text each field may hold, in characters: the column sizes of the SQL schema. Values
 * from the wire are clipped to these before they reach a store, so no message can be refused by
 * the store forever and block the persister (ids are never clipped: the backplane codec already
 * keeps them within 255 bytes).
 */
export const STORED_TEXT_LIMITS = {
  id: 255,
  senderId: 100,
  senderName: 100,
  contentType: 255,
  clientMsgId: 128,
} as const;

/**
 * A room message or event as the store keeps it: one per (roomId, seq), written by the persister.
 * Messages change afterwards only by the edit and delete events that target them.
 */
export interface StoredMessage {
  /** The backplane's message id (the STOMP `message-id` subscribers saw). */
  readonly id: string;
  readonly roomId: string;
  /** The room's sequence number (the MESSAGE's `x-seq`): strictly increasing per room. */
  readonly seq: number;
  readonly kind: MessageKind;
  /** For an edit or delete: the seq of the message it changes (`x-target-seq`); null for a message. */
  readonly targetSeq: number | null;
  /** Who sent it: for an edit or delete, who made the change. */
  readonly senderId: string;
  /** The sender's username when the message was sent (`x-sender`). */
  readonly senderName: string;
  readonly contentType: string;
  /**
   * The body exactly as sent; any bytes, at most the STOMP body limit. A message shows its latest
   * edit, and is empty once deleted (a tombstone); an edit event holds the new content (emptied
   * too when its target is deleted); a delete event is empty.
   */
  readonly body: Buffer;
  /** The sender's `x-client-msg-id`, when given: a client's retry is stored once. */
  readonly clientMsgId: string | null;
  /** When the backplane sequenced it (`publishedAt`), millisecond precision. */
  readonly createdAt: Date;
  /** A message's latest edit (that edit event's createdAt); null for events and unedited messages. */
  readonly editedAt: Date | null;
  /** When a message was deleted (its first delete event's createdAt); null for events. */
  readonly deletedAt: Date | null;
}
