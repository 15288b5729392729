import { Schema } from 'mongoose';

/** A message as a MongoDB/DocumentDB document (collection `messages`). */
export interface MessageDocument {
  /** The backplane message id. */
  _id: string;
  roomId: string;
  seq: number;
  kind: string;
  /** Only on edit and delete events (absent, not null, on messages): the partial index skips messages. */
  targetSeq?: number;
  senderId: string;
  senderName: string;
  contentType: string;
  body: Buffer;
  /** Absent (not null) when the client sent none: the partial unique index skips such documents. */
  clientMsgId?: string;
  createdAt: Date;
  editedAt: Date | null;
  deletedAt: Date | null;
}

export const MESSAGE_COLLECTION = 'messages';

/**
 * autoIndex is off (indexes are built once by MongoMessageStore.open(), not by every model
 * compile on every instance), and so is the version key (documents are written once).
 *
 * Indexes, besides the unique `_id` (the message id):
 * - `room_seq` unique (roomId, seq): one message per sequence number, and the history scan
 *   (newest first is the same index walked backwards);
 * - `room_sender_client_msg_id` unique (roomId, senderId, clientMsgId), partial on clientMsgId
 *   existing: a client's retry is stored once, messages without an id never collide.
 *   DocumentDB supports partial indexes from 5.0 (instance-based clusters) with $exists.
 * - `room_target_seq` (roomId, targetSeq), partial on targetSeq existing: how the store finds a
 *   message's edit and delete events when it applies them. It is the MongoDB side of migration
 *   AddMessageTargetSeq1795598600000: open() creates it on an existing collection (a no-op when
 *   it exists), and documents written before it simply have no targetSeq, like every message.
 */
export const messageSchema = new Schema<MessageDocument>(
  {
    _id: { type: String, required: true },
    roomId: { type: String, required: true },
    seq: { type: Number, required: true },
    kind: { type: String, required: true, default: 'message' },
    targetSeq: { type: Number, required: false },
    senderId: { type: String, required: true },
    senderName: { type: String, default: '' },
    contentType: { type: String, required: true },
    body: { type: Buffer, required: true },
    clientMsgId: { type: String, required: false },
    createdAt: { type: Date, required: true },
    editedAt: { type: Date, default: null },
    deletedAt: { type: Date, default: null },
  },
  { collection: MESSAGE_COLLECTION, autoIndex: false, autoCreate: false, versionKey: false, strict: 'throw' },
);

messageSchema.index({ roomId: 1, seq: 1 }, { unique: true, name: 'room_seq' });
messageSchema.index(
  { roomId: 1, senderId: 1, clientMsgId: 1 },
  { unique: true, name: 'room_sender_client_msg_id', partialFilterExpression: { clientMsgId: { $exists: true } } },
);
messageSchema.index(
  { roomId: 1, targetSeq: 1 },
  { name: 'room_target_seq', partialFilterExpression: { targetSeq: { $exists: true } } },
);
