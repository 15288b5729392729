import type { MigrationInterface, QueryRunner } from 'typeorm';
import { sqlDialect } from '../../../../database/sql-dialect.js';

/**
 * messages: room messages written by the persister, read by the history API.
 *
 * The primary key is (room_id, seq), so on InnoDB a room's messages sit together in seq order
 * and a history page is one short range scan. Two more unique keys make the persister's
 * batches idempotent: the message id (a batch handed over again after a crash) and
 * (room_id, sender_id, client_msg_id) (a client's retry published twice; both engines allow
 * any number of NULL client_msg_id). No foreign key to rooms: a message whose room was deleted
 * before the persister got to it must not fail the batch forever.
 *
 * The body is binary: MEDIUMBLOB on MySQL (up to 16 MiB - 1, BLOB would stop at 64 KiB, exactly
 * the default STOMP body limit), BLOB on SQLite (no size classes). Column sizes match
 * STORED_TEXT_LIMITS in app/src/messages/store/stored-message.ts.
 */
export class CreateMessagesTable1795598500000 implements MigrationInterface {
  name = 'CreateMessagesTable1795598500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const sql = sqlDialect(queryRunner);
    const blob = sql.kind === 'mysql' ? 'MEDIUMBLOB' : 'BLOB';
    await queryRunner.query(
      `CREATE TABLE messages (
        room_id CHAR(36) NOT NULL,
        seq BIGINT NOT NULL,
        id VARCHAR(255) NOT NULL,
        kind VARCHAR(16) NOT NULL DEFAULT 'message',
        sender_id VARCHAR(100) NOT NULL,
        sender_name VARCHAR(100) NOT NULL,
        content_type VARCHAR(255) NOT NULL,
        body ${blob} NOT NULL,
        client_msg_id VARCHAR(128) NULL,
        created_at DATETIME(3) NOT NULL,
        edited_at DATETIME(3) NULL,
        deleted_at DATETIME(3) NULL,
        PRIMARY KEY (room_id, seq),
        CONSTRAINT uq_messages_id UNIQUE (id),
        CONSTRAINT uq_messages_client_msg_id UNIQUE (room_id, sender_id, client_msg_id)
      )${sql.tableOptions}`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE messages');
  }
}
