import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../../app/src/config/load-config.js';
import { describeDatabase } from '../../../app/src/database/data-source.factory.js';
import { shouldMigrateOnStart } from '../../../app/src/database/migrate-on-start.js';
import { mysqlConnectionParts } from '../../../app/src/database/mysql-connection.js';

describe('shouldMigrateOnStart', () => {
  const secret = 'production-secret-production-secret-0123456789';
  it.each([
    ['SQLite in development', { NODE_ENV: 'development' }, true],
    ['SQLite in production (embedded, single process)', { NODE_ENV: 'production', JWT_SECRET: secret }, true],
    ['MySQL in development', { NODE_ENV: 'development', DATABASE: 'mysql' }, true],
    ['MySQL in test', { NODE_ENV: 'test', DATABASE: 'mysql' }, true],
    [
      'MySQL in production (the deploy runs migrate.js once)',
      { NODE_ENV: 'production', DATABASE: 'mysql', JWT_SECRET: secret },
      false,
    ],
  ])('%s → %s', (_name, env, expected) => {
    expect(shouldMigrateOnStart(loadConfig(env))).toBe(expected);
  });

  it('follows DATABASE_MIGRATE_ON_START when set', () => {
    expect(shouldMigrateOnStart(loadConfig({ NODE_ENV: 'development', DATABASE_MIGRATE_ON_START: 'false' }))).toBe(
      false,
    );
    const secret = 'production-secret-production-secret-0123456789';
    const env = { NODE_ENV: 'production', DATABASE: 'mysql', JWT_SECRET: secret, DATABASE_MIGRATE_ON_START: 'true' };
    expect(shouldMigrateOnStart(loadConfig(env))).toBe(true);
  });
});

describe('mysqlConnectionParts', () => {
  const parts = { host: 'db', port: 3307, user: 'app', password: 'pw', database: 'chat' };
  const base = { ...parts, tls: false };

  it('uses the discrete settings without a URL', () => {
    expect(mysqlConnectionParts(base)).toEqual(parts);
  });

  it('reads a URL, decoding percent-escapes in user and password', () => {
    expect(mysqlConnectionParts({ ...base, url: 'mysql://ch%40t:p%3Ass%2Fw@rds.example:3306/prod' })).toEqual({
      host: 'rds.example',
      port: 3306,
      user: 'ch@t',
      password: 'p:ss/w',
      database: 'prod',
    });
  });

  it('falls back to the configured user, password and database when the URL leaves them out', () => {
    expect(mysqlConnectionParts({ ...base, url: 'mysql://rds.example' })).toEqual({
      ...parts,
      host: 'rds.example',
      port: 3306,
    });
  });

  it('never puts the password in a description', () => {
    const config = loadConfig({ DATABASE: 'mysql', MYSQL_URL: 'mysql://app:s3cret@db:3306/chat' });
    expect(describeDatabase(config.database)).toBe('mysql app@db:3306/chat');
  });
});
