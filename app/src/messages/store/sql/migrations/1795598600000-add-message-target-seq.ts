import type { MigrationInterface, QueryRunner } from 'typeorm';
import { sqlDialect } from '../../../../database/sql-dialect.js';

/**
 * messages.target_seq: for an edit or delete event (kind 'edit' / 'delete'), the seq of the
 * message it changes; NULL for chat messages, so existing rows need no rewrite. Adding a
 * nullable column at the end is an instant change on MySQL 8 and MariaDB 10.3+, and a schema-only
 * one on SQLite.
 *
 * ix_messages_target (room_id, target_seq) is how the store finds a message's events when it
 * applies them (latest edit, first delete) and which stored events wait for a message that
 * arrives after them. It is not unique: a message may have many edits.
 */
export class AddMessageTargetSeq1795598600000 implements MigrationInterface {
  name = 'AddMessageTargetSeq1795598600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE messages ADD COLUMN target_seq BIGINT NULL');
    await queryRunner.query('CREATE INDEX ix_messages_target ON messages (room_id, target_seq)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const sql = sqlDialect(queryRunner);
    await queryRunner.query(
      sql.kind === 'mysql' ? 'DROP INDEX ix_messages_target ON messages' : 'DROP INDEX ix_messages_target',
    );
    await queryRunner.query('ALTER TABLE messages DROP COLUMN target_seq');
  }
}
