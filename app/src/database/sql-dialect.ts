import type { QueryRunner } from 'typeorm';

/**
 * The few DDL fragments that differ between MySQL/MariaDB and SQLite. Everything else in
 * the migrations is SQL both accept as written (CHAR/VARCHAR/DATETIME(3)/BIGINT, inline
 * foreign keys, CREATE [UNIQUE] INDEX), so each migration reads as one script.
 */
export interface SqlDialect {
  readonly kind: 'mysql' | 'sqlite';
  /**
   * Appended to CREATE TABLE. On MySQL every table gets the same charset and collation:
   * utf8mb4 stores any Unicode text, and foreign keys between string columns require the
   * two tables to agree. utf8mb4_unicode_ci exists on both MySQL 8 and MariaDB 10.11
   * (utf8mb4_0900_ai_ci, MySQL 8's default, does not exist on MariaDB).
   */
  readonly tableOptions: string;
  /**
   * Collation clause for columns compared case-insensitively (usernames). MySQL already
   * does that through the table collation; SQLite compares bytes unless told otherwise.
   */
  readonly caseInsensitive: string;
}

export function sqlDialect(queryRunner: QueryRunner): SqlDialect {
  const type = queryRunner.connection.options.type;
  if (type === 'mysql' || type === 'mariadb') {
    return {
      kind: 'mysql',
      tableOptions: ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci',
      caseInsensitive: '',
    };
  }
  if (type === 'better-sqlite3') {
    return { kind: 'sqlite', tableOptions: '', caseInsensitive: ' COLLATE NOCASE' };
  }
  throw new Error(`migrations support MySQL/MariaDB and SQLite, not ${type}`);
}
