import type { MysqlConfig } from '../config/app-config.js';

export interface MysqlConnectionParts {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
}

/**
 * Resolves MYSQL_URL (when set) or the discrete host/port/user/password/database settings
 * into one shape. The URL is parsed here rather than by typeorm so percent-encoded
 * passwords are decoded the same way everywhere, and a URL without a path falls back to
 * the configured database name instead of connecting to no database at all.
 */
export function mysqlConnectionParts(mysql: MysqlConfig): MysqlConnectionParts {
  if (mysql.url === undefined) {
    return { host: mysql.host, port: mysql.port, user: mysql.user, password: mysql.password, database: mysql.database };
  }
  const url = new URL(mysql.url);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  return {
    host: url.hostname,
    port: url.port === '' ? 3306 : Number(url.port),
    user: url.username === '' ? mysql.user : decodeURIComponent(url.username),
    password: url.password === '' ? mysql.password : decodeURIComponent(url.password),
    database: database === '' ? mysql.database : database,
  };
}
