import type { DataSource, EntityManager, QueryRunner, Repository } from 'typeorm';
import type { Transactions } from '../../../database/transactions.js';
import type { MessagePageQuery, MessageStore, RejectedMessage, SaveBatchResult } from '../message-store.port.js';
import { BatchEventScope } from '../event-effects.js';
import type { StoredMessage } from '../stored-message.js';
import { MessageEntity } from './message.entity.js';

/** Rows per INSERT: 13 parameters each stays far below SQLite's 32,766 bound parameters. */
const MAX_ROWS_PER_STATEMENT = 1_000;
/**
 * Body bytes per INSERT. mysql2 sends a Buffer parameter as X'…' hex, twice its size, and one
 * statement must fit in max_allowed_packet (16 MiB by default on MariaDB, 64 MiB on RDS).
 */
const MAX_BODY_BYTES_PER_STATEMENT = 2 * 1024 * 1024;

const COLUMNS =
  'room_id, seq, id, kind, target_seq, sender_id, sender_name, content_type, body, client_msg_id, created_at, edited_at, deleted_at';
const ROW_PLACEHOLDERS = `(${COLUMNS.split(',')
  .map(() => '?')
  .join(', ')})`;

/**
 * The MessageStore on the relational database (typeorm): SQLite for the embedded default,
 * MySQL/MariaDB otherwise. Table and keys come from migrations CreateMessagesTable1795598500000
 * and AddMessageTargetSeq1795598600000.
 *
 * A batch is inserted so that rows violating a unique key are skipped and any other error fails
 * the batch: `INSERT … ON CONFLICT DO NOTHING` on SQLite, and on MySQL
 * `INSERT … ON DUPLICATE KEY UPDATE room_id = room_id`, a no-op on whichever key matched. Not
 * MySQL's INSERT IGNORE (what typeorm's orIgnore() emits there): it also turns data errors into
 * warnings, storing truncated or defaulted values instead of failing. The statement is written
 * here rather than by typeorm's InsertQueryBuilder, which took 40% of a batch's time.
 *
 * When the database reports that every row went in, the batch is done; otherwise one read by id
 * tells which messages are stored, and why any others were refused.
 *
 * Then, in the same transaction, edit and delete events are applied to their targets by the
 * rules of event-effects.ts, recomputed from the stored events (see applyEvents).
 */
export class SqlMessageStore implements MessageStore {
  private readonly messages: Repository<StoredMessage>;
  private readonly mysql: boolean;

  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
  ) {
    this.messages = dataSource.getRepository(MessageEntity);
    this.mysql = dataSource.options.type === 'mysql' || dataSource.options.type === 'mariadb';
  }

  async saveBatch(batch: readonly StoredMessage[]): Promise<SaveBatchResult> {
    const messages = [...new Map(batch.map((message) => [message.id, message])).values()];
    if (messages.length === 0) return { stored: 0, rejected: [] };
    // One transaction: a single commit (one fsync on SQLite) for the whole batch.
    return this.transactions.run(async (manager) => {
      let allInserted = true;
      for (const chunk of statementChunks(messages)) {
        const inserted = await this.insertSkippingDuplicates(manager.queryRunner!, chunk);
        if (inserted !== chunk.length) allInserted = false;
      }
      const result = allInserted ? { stored: messages.length, rejected: [] } : await this.sortOut(manager, messages);
      await this.applyEvents(manager, messages);
      return result;
    });
  }

  page(roomId: string, query: MessagePageQuery): Promise<StoredMessage[]> {
    const select = this.messages.createQueryBuilder('m').where('m.roomId = :roomId', { roomId });
    if (query.before !== undefined) select.andWhere('m.seq < :before', { before: query.before });
    if (query.after !== undefined) select.andWhere('m.seq > :after', { after: query.after });
    return select.orderBy('m.seq', 'DESC').limit(query.limit).getMany();
  }

  get(roomId: string, seq: number): Promise<StoredMessage | null> {
    return this.messages.findOneBy({ roomId, seq });
  }

  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }

  /** The DataSource belongs to DatabaseModule, which closes it. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  /** Inserts what is not there yet; returns how many rows went in, or undefined when the database does not say. */
  private async insertSkippingDuplicates(
    runner: QueryRunner,
    rows: readonly StoredMessage[],
  ): Promise<number | undefined> {
    const values = rows.map(() => ROW_PLACEHOLDERS).join(', ');
    const onConflict = this.mysql ? 'ON DUPLICATE KEY UPDATE room_id = room_id' : 'ON CONFLICT DO NOTHING';
    const parameters = rows.flatMap((message) => this.parameters(message));
    const result = await runner.query(
      `INSERT INTO messages (${COLUMNS}) VALUES ${values} ${onConflict}`,
      parameters,
      true,
    );
    if (!this.mysql) return result.affected;
    // mysql2 sets CLIENT_FOUND_ROWS, so affectedRows counts a skipped duplicate too; the server's
    // info line for a multi-row INSERT ("Records: 500  Duplicates: 0  Warnings: 0") does not.
    const duplicates = /Duplicates: (\d+)/.exec((result.raw as { info?: string } | undefined)?.info ?? '')?.[1];
    return duplicates === undefined ? undefined : rows.length - Number(duplicates);
  }

  private parameters(message: StoredMessage): unknown[] {
    return [
      message.roomId,
      message.seq,
      message.id,
      message.kind,
      message.targetSeq,
      message.senderId,
      message.senderName,
      message.contentType,
      message.body,
      message.clientMsgId,
      this.datetime(message.createdAt),
      this.datetime(message.editedAt),
      this.datetime(message.deletedAt),
    ];
  }

  /** A Date as the driver stores DATETIME(3): mysql2 takes the Date (UTC connection); better-sqlite3 cannot bind one. */
  private datetime(value: Date | null): unknown {
    if (value === null || this.mysql) return value;
    const column = this.dataSource.getMetadata(MessageEntity).findColumnWithPropertyName('createdAt')!;
    return this.dataSource.driver.preparePersistentValue(value, column);
  }

  /**
   * Brings every message the batch touches up to date with its stored events: the targets of the
   * batch's events, and the batch's own messages that already have events stored (an event that
   * was written before its target, by another persister or before a claimed batch). Each target
   * is recomputed from all of its stored events, never patched by one of them, which is what
   * makes a replayed batch, any order within a batch and any order across batches come out the
   * same. A rejected event is not a row, so it changes nothing.
   *
   * The latest edit is read and then written back rather than copied by one UPDATE … SELECT,
   * because MySQL refuses a subquery on the table being updated (error 1093).
   */
  private async applyEvents(manager: EntityManager, messages: readonly StoredMessage[]): Promise<void> {
    const scope = new BatchEventScope(messages);
    const messageSeqs = scope.messageSeqRanges;
    // One statement for the whole batch, an index range per room; normally it finds nothing.
    // Written by hand: on the hot path typeorm's query builder costs more than the query.
    for (let from = 0; from < messageSeqs.size; from += MAX_ROWS_PER_STATEMENT) {
      const ranges = [...messageSeqs].slice(from, from + MAX_ROWS_PER_STATEMENT);
      const waiting: Array<{ room_id: string; target_seq: string | number }> = await manager.query(
        `SELECT DISTINCT room_id, target_seq FROM messages WHERE ${ranges
          .map(() => '(room_id = ? AND target_seq BETWEEN ? AND ?)')
          .join(' OR ')}`,
        ranges.flatMap(([roomId, { min, max }]) => [roomId, min, max]),
      );
      for (const row of waiting) scope.addTarget(row.room_id, Number(row.target_seq));
    }
    for (const { roomId, seq } of scope.targets) await this.applyEventsTo(manager, roomId, seq);
  }

  /** Recomputes one message from its stored events (event-effects.ts): latest edit, first delete. */
  private async applyEventsTo(manager: EntityManager, roomId: string, seq: number): Promise<void> {
    const rows = manager.getRepository(MessageEntity);
    const latestEdit = await rows.findOne({
      where: { roomId, targetSeq: seq, kind: 'edit' },
      order: { seq: 'DESC' },
      select: { seq: true, contentType: true, body: true, createdAt: true },
    });
    const firstDelete = await rows.findOne({
      where: { roomId, targetSeq: seq, kind: 'delete' },
      order: { seq: 'ASC' },
      select: { seq: true, createdAt: true },
    });
    if (latestEdit === null && firstDelete === null) return;
    const change: Partial<StoredMessage> = {
      ...(latestEdit === null
        ? {}
        : { contentType: latestEdit.contentType, body: latestEdit.body, editedAt: latestEdit.createdAt }),
      ...(firstDelete === null ? {} : { body: Buffer.alloc(0), deletedAt: firstDelete.createdAt }),
    };
    await rows.update({ roomId, seq, kind: 'message' }, change);
    // A deleted message's content must not live on in the bodies of its edit events.
    if (firstDelete !== null) await rows.update({ roomId, targetSeq: seq, kind: 'edit' }, { body: Buffer.alloc(0) });
  }

  /** After some rows were skipped: which messages are stored, and why the others are not. */
  private async sortOut(manager: EntityManager, messages: readonly StoredMessage[]): Promise<SaveBatchResult> {
    const present = new Set<string>();
    for (let at = 0; at < messages.length; at += MAX_ROWS_PER_STATEMENT) {
      const ids = messages.slice(at, at + MAX_ROWS_PER_STATEMENT).map((message) => message.id);
      const rows = await manager
        .getRepository(MessageEntity)
        .createQueryBuilder('m')
        .select('m.id', 'id')
        .where('m.id IN (:...ids)', { ids })
        .getRawMany<{ id: string }>();
      for (const row of rows) present.add(row.id);
    }
    const rejected: RejectedMessage[] = [];
    for (const message of messages) {
      if (present.has(message.id)) continue;
      const holder = await manager.getRepository(MessageEntity).findOne({
        where: { roomId: message.roomId, seq: message.seq },
        select: { id: true },
      });
      rejected.push({ message, reason: holder === null ? 'client-msg-id-taken' : 'seq-taken' });
    }
    return { stored: present.size, rejected };
  }
}

/** Consecutive runs of messages, each within the row and body-size bounds of one statement. */
function* statementChunks(messages: readonly StoredMessage[]): Generator<StoredMessage[]> {
  let chunk: StoredMessage[] = [];
  let bytes = 0;
  for (const message of messages) {
    if (
      chunk.length > 0 &&
      (chunk.length >= MAX_ROWS_PER_STATEMENT || bytes + message.body.length > MAX_BODY_BYTES_PER_STATEMENT)
    ) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push(message);
    bytes += message.body.length;
  }
  if (chunk.length > 0) yield chunk;
}
