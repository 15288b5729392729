import type { DataSource, EntityManager, Repository } from 'typeorm';
import type { Transactions } from '../../../database/transactions.js';
import type { MessagePageQuery, MessageStore, RejectedMessage, SaveBatchResult } from '../message-store.port.js';
import type { StoredMessage } from '../stored-message.js';
import { MessageEntity } from './message.entity.js';

/** Rows per INSERT: 12 parameters each stays far below SQLite's 32,766 bound parameters. */
const MAX_ROWS_PER_STATEMENT = 1_000;
/**
 * Body bytes per INSERT. mysql2 sends a Buffer parameter as X'…' hex, twice its size, and one
 * statement must fit in max_allowed_packet (16 MiB by default on MariaDB, 64 MiB on RDS).
 */
const MAX_BODY_BYTES_PER_STATEMENT = 2 * 1024 * 1024;

/**
 * The MessageStore on the relational database (typeorm): SQLite for the embedded default,
 * MySQL/MariaDB otherwise. Table and keys come from migration CreateMessagesTable1795598500000.
 *
 * A batch is inserted so that rows violating a unique key are skipped and any other error
 * fails the batch: `INSERT … ON CONFLICT DO NOTHING` on SQLite (typeorm's orIgnore()), and on
 * MySQL `INSERT … ON DUPLICATE KEY UPDATE room_id = room_id`, a no-op on whichever key matched.
 * Not MySQL's INSERT IGNORE (what orIgnore() emits there): it also turns data errors into
 * warnings and would store truncated or defaulted values instead of failing. Afterwards one read
 * by id tells which messages are stored, and why any others were refused.
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
      for (const chunk of statementChunks(messages)) await this.insertSkippingDuplicates(manager, chunk);
      const present = await this.storedIds(
        manager,
        messages.map((message) => message.id),
      );
      const missing = messages.filter((message) => !present.has(message.id));
      const rejected: RejectedMessage[] = [];
      for (const message of missing) {
        const holder = await manager.getRepository(MessageEntity).findOne({
          where: { roomId: message.roomId, seq: message.seq },
          select: { id: true },
        });
        rejected.push({ message, reason: holder === null ? 'client-msg-id-taken' : 'seq-taken' });
      }
      return { stored: messages.length - missing.length, rejected };
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

  private async insertSkippingDuplicates(manager: EntityManager, rows: readonly StoredMessage[]): Promise<void> {
    const insert = manager
      .createQueryBuilder()
      .insert()
      .into(MessageEntity)
      .values([...rows])
      .updateEntity(false);
    if (!this.mysql) {
      await insert.orIgnore().execute();
      return;
    }
    const [sql, parameters] = insert.getQueryAndParameters();
    await manager.query(`${sql} ON DUPLICATE KEY UPDATE room_id = room_id`, parameters);
  }

  private async storedIds(manager: EntityManager, ids: readonly string[]): Promise<Set<string>> {
    const present = new Set<string>();
    for (let at = 0; at < ids.length; at += MAX_ROWS_PER_STATEMENT) {
      const rows = await manager
        .getRepository(MessageEntity)
        .createQueryBuilder('m')
        .select('m.id', 'id')
        .where('m.id IN (:...ids)', { ids: ids.slice(at, at + MAX_ROWS_PER_STATEMENT) })
        .getRawMany<{ id: string }>();
      for (const row of rows) present.add(row.id);
    }
    return present;
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
