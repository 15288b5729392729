import type { MigrationInterface, QueryRunner } from 'typeorm';
import { sqlDialect } from '../../database/sql-dialect.js';

/**
 * access_revocations: the durable record of logouts, refresh-token re-uses and membership
 * removals that every instance polls (app/src/access/revocation-feed.ts). Rows are small and
 * short-lived (pruned after an hour); ix_access_revocations_created serves the poll, which reads
 * the last minute or so.
 */
export class CreateAccessRevocations1795598700000 implements MigrationInterface {
  name = 'CreateAccessRevocations1795598700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const sql = sqlDialect(queryRunner);
    await queryRunner.query(
      `CREATE TABLE access_revocations (
        id CHAR(36) NOT NULL,
        kind VARCHAR(16) NOT NULL,
        user_id CHAR(36) NOT NULL,
        room_id CHAR(36) NULL,
        reason VARCHAR(64) NOT NULL,
        created_at DATETIME(3) NOT NULL,
        PRIMARY KEY (id)
      )${sql.tableOptions}`,
    );
    await queryRunner.query('CREATE INDEX ix_access_revocations_created ON access_revocations (created_at)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE access_revocations');
  }
}
