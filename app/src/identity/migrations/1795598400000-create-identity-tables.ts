import type { MigrationInterface, QueryRunner } from 'typeorm';
import { sqlDialect } from '../../database/sql-dialect.js';

/**
 * users and refresh_tokens. Plain SQL that MySQL 8, MariaDB 10.11 and SQLite all accept;
 * the dialect only adds the table charset (MySQL) and case-insensitive usernames (SQLite).
 * Timestamps are DATETIME(3) in UTC (the MySQL connection runs with timezone 'Z').
 */
export class CreateIdentityTables1795598400000 implements MigrationInterface {
  // Explicit so bundlers that rename classes cannot change what is recorded as applied.
  name = 'CreateIdentityTables1795598400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const sql = sqlDialect(queryRunner);
    await queryRunner.query(
      `CREATE TABLE users (
        id CHAR(36) NOT NULL,
        username VARCHAR(32)${sql.caseInsensitive} NOT NULL,
        display_name VARCHAR(64) NOT NULL,
        password_hash VARCHAR(255) NOT NULL,
        created_at DATETIME(3) NOT NULL,
        PRIMARY KEY (id),
        CONSTRAINT uq_users_username UNIQUE (username)
      )${sql.tableOptions}`,
    );
    // Only the SHA-256 of a refresh token is stored, so a leaked table grants nothing.
    await queryRunner.query(
      `CREATE TABLE refresh_tokens (
        id CHAR(36) NOT NULL,
        user_id CHAR(36) NOT NULL,
        family_id CHAR(36) NOT NULL,
        token_hash CHAR(64) NOT NULL,
        created_at DATETIME(3) NOT NULL,
        expires_at DATETIME(3) NOT NULL,
        revoked_at DATETIME(3) NULL,
        replaced_by CHAR(36) NULL,
        PRIMARY KEY (id),
        CONSTRAINT uq_refresh_tokens_token_hash UNIQUE (token_hash),
        CONSTRAINT fk_refresh_tokens_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
      )${sql.tableOptions}`,
    );
    await queryRunner.query('CREATE INDEX idx_refresh_tokens_family ON refresh_tokens (family_id)');
    // SQLite does not index foreign keys by itself; MySQL reuses this index for the FK.
    await queryRunner.query('CREATE INDEX idx_refresh_tokens_user ON refresh_tokens (user_id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE refresh_tokens');
    await queryRunner.query('DROP TABLE users');
  }
}
