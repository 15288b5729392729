import type { MigrationInterface, QueryRunner } from 'typeorm';
import { sqlDialect } from '../../database/sql-dialect.js';

/**
 * rooms and memberships. kind and role are short strings checked by the application
 * rather than CHECK constraints, because typeorm's MySQL runner cannot manage checks and
 * MySQL before 8.0.16 parsed and ignored them.
 */
export class CreateRoomTables1795598400001 implements MigrationInterface {
  name = 'CreateRoomTables1795598400001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const sql = sqlDialect(queryRunner);
    // direct_key is "<smaller user id>:<larger user id>" for direct rooms and NULL
    // otherwise; its unique index makes "open the direct room" idempotent under races
    // (both engines allow many NULLs in a unique index).
    await queryRunner.query(
      `CREATE TABLE rooms (
        id CHAR(36) NOT NULL,
        kind VARCHAR(16) NOT NULL,
        name VARCHAR(100) NULL,
        topic VARCHAR(500) NULL,
        created_by CHAR(36) NULL,
        direct_key VARCHAR(73) NULL,
        created_at DATETIME(3) NOT NULL,
        updated_at DATETIME(3) NOT NULL,
        PRIMARY KEY (id),
        CONSTRAINT uq_rooms_direct_key UNIQUE (direct_key),
        CONSTRAINT fk_rooms_created_by FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE SET NULL
      )${sql.tableOptions}`,
    );
    await queryRunner.query('CREATE INDEX idx_rooms_kind_name ON rooms (kind, name)');
    await queryRunner.query('CREATE INDEX idx_rooms_created_by ON rooms (created_by)');
    // last_read_seq is the member's read marker against the room's message sequence.
    await queryRunner.query(
      `CREATE TABLE memberships (
        room_id CHAR(36) NOT NULL,
        user_id CHAR(36) NOT NULL,
        role VARCHAR(16) NOT NULL,
        joined_at DATETIME(3) NOT NULL,
        last_read_seq BIGINT NOT NULL DEFAULT 0,
        PRIMARY KEY (room_id, user_id),
        CONSTRAINT fk_memberships_room FOREIGN KEY (room_id) REFERENCES rooms (id) ON DELETE CASCADE,
        CONSTRAINT fk_memberships_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
      )${sql.tableOptions}`,
    );
    await queryRunner.query('CREATE INDEX idx_memberships_user ON memberships (user_id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE memberships');
    await queryRunner.query('DROP TABLE rooms');
  }
}
