import { describe, expect, it } from '@jest/globals';
import { loadConfig, loadMigrationConfig } from '../../../app/src/config/load-config.js';
import { mongoConnectionSettings } from '../../../app/src/messages/store/mongo/mongo-connection-options.js';

describe('OPS_PORT', () => {
  it('is unset by default (every route on PORT) and read when given', () => {
    expect(loadConfig({}).http.opsPort).toBeUndefined();
    expect(loadConfig({ OPS_PORT: '9090' }).http.opsPort).toBe(9090);
  });

  it('must differ from PORT', () => {
    expect(() => loadConfig({ PORT: '9090', OPS_PORT: '9090' })).toThrow(/OPS_PORT: must differ from PORT/);
  });
});

describe('MONGO_MAX_POOL_SIZE', () => {
  it('reaches the driver options only when set', () => {
    const bounded = loadConfig({ MONGO_HOST: 'db', MONGO_MAX_POOL_SIZE: '20' }).messageStore;
    const unbounded = loadConfig({ MONGO_HOST: 'db' }).messageStore;
    if (bounded.kind !== 'mongo' || unbounded.kind !== 'mongo') throw new Error('expected the mongo store');
    expect(mongoConnectionSettings(bounded.mongo).options.maxPoolSize).toBe(20);
    expect(mongoConnectionSettings(unbounded.mongo).options).not.toHaveProperty('maxPoolSize');
  });
});

describe('loadMigrationConfig', () => {
  const database = { NODE_ENV: 'production', MYSQL_HOST: 'db', MYSQL_USER: 'chat_migrator', MYSQL_PASSWORD: 'p' };

  it('needs neither the JWT secret nor Redis, which the migration task does not get', () => {
    const config = loadMigrationConfig(database);
    expect(config.database.kind).toBe('mysql');
    expect(config.mysqlAdmin).toBeUndefined();
  });

  it('reads the logins it provisions', () => {
    const config = loadMigrationConfig({
      ...database,
      MYSQL_ADMIN_USER: 'chatadmin',
      MYSQL_ADMIN_PASSWORD: 'a',
      MYSQL_APP_USER: 'chat_app',
      MYSQL_APP_PASSWORD: 'b',
    });
    expect([config.mysqlAdmin, config.mysqlApp]).toEqual([
      { user: 'chatadmin', password: 'a' },
      { user: 'chat_app', password: 'b' },
    ]);
  });

  it('refuses half a login, and an app user without the admin login to create it', () => {
    expect(() => loadMigrationConfig({ ...database, MYSQL_ADMIN_USER: 'chatadmin' })).toThrow(
      /MYSQL_ADMIN_USER\/MYSQL_ADMIN_PASSWORD: set both or neither/,
    );
    expect(() => loadMigrationConfig({ ...database, MYSQL_APP_USER: 'a', MYSQL_APP_PASSWORD: 'b' })).toThrow(
      /needs MYSQL_ADMIN_USER/,
    );
  });
});
