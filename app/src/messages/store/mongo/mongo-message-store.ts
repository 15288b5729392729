import mongoose, { type Connection, type Model } from 'mongoose';
import type { MessagePageQuery, MessageStore, RejectedMessage, SaveBatchResult } from '../message-store.port.js';
import { BatchEventScope } from '../event-effects.js';
import type { MessageKind, StoredMessage } from '../stored-message.js';
import { onlyDuplicateKeys } from './duplicate-key.js';
import { messageSchema, type MessageDocument } from './message.schema.js';
import type { MongoConnectionSettings } from './mongo-connection-options.js';

const CONNECTED = 1;

/**
 * The MessageStore on MongoDB or Amazon DocumentDB (mongoose), with its own connection.
 *
 * A batch is one unordered bulk insert: every document is tried, and when the only failures
 * are duplicate keys (11000: already stored, or a (roomId, seq) / client id that is taken) the
 * batch counts as written. Which messages were refused is then read back by id, from the
 * primary, so a secondaryPreferred read preference (DocumentDB) cannot make a fresh write look
 * missing. History reads follow the configured read preference.
 *
 * Edit and delete events are then applied to their targets by the rules of event-effects.ts,
 * recomputed from the stored events (see applyEvents). There is no transaction around the
 * batch: if the process stops half-way, the batch is not acknowledged, and its retry inserts
 * nothing new and recomputes the same targets, which completes the work.
 */
export class MongoMessageStore implements MessageStore {
  private readonly connection: Connection;
  private readonly messages: Model<MessageDocument>;
  private opening: Promise<void> | undefined;

  constructor(private readonly settings: MongoConnectionSettings) {
    this.connection = mongoose.createConnection();
    this.messages = this.connection.model<MessageDocument>('Message', messageSchema);
  }

  /**
   * Connects and creates the indexes (idempotent on the server). Every operation waits for
   * it; after a failure the next operation tries again, so a store that was down at start-up
   * is picked up by the persister's retries.
   */
  open(): Promise<void> {
    this.opening ??= this.connectAndIndex().catch((error: unknown) => {
      this.opening = undefined;
      throw error;
    });
    return this.opening;
  }

  async saveBatch(batch: readonly StoredMessage[]): Promise<SaveBatchResult> {
    const messages = [...new Map(batch.map((message) => [message.id, message])).values()];
    if (messages.length === 0) return { stored: 0, rejected: [] };
    await this.open();
    try {
      await this.messages.bulkWrite(
        messages.map((message) => ({ insertOne: { document: toDocument(message) } })),
        { ordered: false, throwOnValidationError: true },
      );
    } catch (error) {
      if (!onlyDuplicateKeys(error)) throw error;
    }
    const present = await this.messages
      .find({ _id: { $in: messages.map((message) => message.id) } }, { _id: 1 })
      .read('primary')
      .lean<Array<{ _id: string }>>();
    const presentIds = new Set(present.map((document) => document._id));
    const rejected: RejectedMessage[] = [];
    for (const message of messages) {
      if (presentIds.has(message.id)) continue;
      const holder = await this.messages.exists({ roomId: message.roomId, seq: message.seq }).read('primary');
      rejected.push({ message, reason: holder === null ? 'client-msg-id-taken' : 'seq-taken' });
    }
    await this.applyEvents(messages);
    return { stored: presentIds.size, rejected };
  }

  async page(roomId: string, query: MessagePageQuery): Promise<StoredMessage[]> {
    await this.open();
    const seq: { $lt?: number; $gt?: number } = {};
    if (query.before !== undefined) seq.$lt = query.before;
    if (query.after !== undefined) seq.$gt = query.after;
    const filter = query.before === undefined && query.after === undefined ? { roomId } : { roomId, seq };
    const documents = await this.messages.find(filter).sort({ seq: -1 }).limit(query.limit).lean<MessageDocument[]>();
    return documents.map(fromDocument);
  }

  async get(roomId: string, seq: number): Promise<StoredMessage | null> {
    await this.open();
    const document = await this.messages.findOne({ roomId, seq }).lean<MessageDocument>();
    return document === null ? null : fromDocument(document);
  }

  async ping(): Promise<void> {
    await this.open();
    const db = this.connection.db;
    if (db === undefined) throw new Error('mongodb: not connected');
    await db.admin().ping();
  }

  async close(): Promise<void> {
    await this.connection.close();
  }

  /**
   * Brings every message the batch touches up to date with its stored events: the targets of the
   * batch's events, and the batch's own messages that already have events stored (an event
   * written before its target by another persister). Each target is recomputed from all of its
   * stored events, read from the primary, so any order and any replay end up the same.
   */
  private async applyEvents(messages: readonly StoredMessage[]): Promise<void> {
    const scope = new BatchEventScope(messages);
    const messageSeqs = scope.messageSeqRanges;
    for (const [roomId, { min, max }] of messageSeqs) {
      const waiting = await this.messages
        .distinct('targetSeq', { roomId, targetSeq: { $gte: min, $lte: max } })
        .read('primary');
      for (const seq of waiting as number[]) scope.addTarget(roomId, seq);
    }
    for (const { roomId, seq } of scope.targets) await this.applyEventsTo(roomId, seq);
  }

  /** Recomputes one message from its stored events (event-effects.ts): latest edit, first delete. */
  private async applyEventsTo(roomId: string, seq: number): Promise<void> {
    const latestEdit = await this.messages
      .findOne({ roomId, targetSeq: seq, kind: 'edit' }, { contentType: 1, body: 1, createdAt: 1 })
      .sort({ seq: -1 })
      .read('primary')
      .lean<Pick<MessageDocument, 'contentType' | 'body' | 'createdAt'>>();
    const firstDelete = await this.messages
      .findOne({ roomId, targetSeq: seq, kind: 'delete' }, { createdAt: 1 })
      .sort({ seq: 1 })
      .read('primary')
      .lean<Pick<MessageDocument, 'createdAt'>>();
    if (latestEdit === null && firstDelete === null) return;
    const change = {
      ...(latestEdit === null
        ? {}
        : { contentType: latestEdit.contentType, body: bufferOf(latestEdit.body), editedAt: latestEdit.createdAt }),
      ...(firstDelete === null ? {} : { body: Buffer.alloc(0), deletedAt: firstDelete.createdAt }),
    };
    await this.messages.updateOne({ roomId, seq, kind: 'message' }, { $set: change });
    // A deleted message's content must not live on in the bodies of its edit events.
    if (firstDelete !== null)
      await this.messages.updateMany({ roomId, targetSeq: seq, kind: 'edit' }, { $set: { body: Buffer.alloc(0) } });
  }

  private async connectAndIndex(): Promise<void> {
    if (this.connection.readyState !== CONNECTED)
      await this.connection.openUri(this.settings.uri, this.settings.options);
    await this.messages.createIndexes();
  }
}

function toDocument(message: StoredMessage): MessageDocument {
  return {
    _id: message.id,
    roomId: message.roomId,
    seq: message.seq,
    kind: message.kind,
    ...(message.targetSeq === null ? {} : { targetSeq: message.targetSeq }),
    senderId: message.senderId,
    senderName: message.senderName,
    contentType: message.contentType,
    body: message.body,
    ...(message.clientMsgId === null ? {} : { clientMsgId: message.clientMsgId }),
    createdAt: message.createdAt,
    editedAt: message.editedAt,
    deletedAt: message.deletedAt,
  };
}

function fromDocument(document: MessageDocument): StoredMessage {
  return {
    id: document._id,
    roomId: document.roomId,
    seq: document.seq,
    kind: document.kind as MessageKind,
    targetSeq: document.targetSeq ?? null,
    senderId: document.senderId,
    senderName: document.senderName,
    contentType: document.contentType,
    body: bufferOf(document.body),
    clientMsgId: document.clientMsgId ?? null,
    createdAt: document.createdAt,
    editedAt: document.editedAt ?? null,
    deletedAt: document.deletedAt ?? null,
  };
}

/** lean() hands binary fields back as BSON Binary, not Buffer. */
function bufferOf(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof mongoose.mongo.Binary) return Buffer.from(value.value());
  if (value instanceof Uint8Array) return Buffer.from(value);
  throw new TypeError('message body is not binary');
}
