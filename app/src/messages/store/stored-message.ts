/**
 * `message` is a chat message. A later change adds edits and deletions as sequenced events of
 * their own kinds, so the column exists now and older rows never need rewriting.
 */
export type MessageKind = 'message';

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

/** A room message as the store keeps it: one per (roomId, seq), written once by the persister. */
export interface StoredMessage {
  /** The backplane's message id (the STOMP `message-id` subscribers saw). */
  readonly id: string;
  readonly roomId: string;
  /** The room's sequence number (the MESSAGE's `x-seq`): strictly increasing per room. */
  readonly seq: number;
  readonly kind: MessageKind;
  readonly senderId: string;
  /** The sender's username when the message was sent (`x-sender`). */
  readonly senderName: string;
  readonly contentType: string;
  /** The body exactly as sent; any bytes, at most the STOMP body limit. */
  readonly body: Buffer;
  /** The sender's `x-client-msg-id`, when given: a client's retry is stored once. */
  readonly clientMsgId: string | null;
  /** When the backplane sequenced it (`publishedAt`), millisecond precision. */
  readonly createdAt: Date;
  readonly editedAt: Date | null;
  readonly deletedAt: Date | null;
}
