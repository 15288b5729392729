import { Logger } from '@nestjs/common';
import mongoose from 'mongoose';
import type { DatabaseConfig, DatabaseLogin, MigrationConfig, MongoConfig } from '../config/app-config.js';
import { APP_TABLES } from '../app-tables.js';
import { loadMigrationConfig } from '../config/load-config.js';
import { mongoConnectionSettings } from '../messages/store/mongo/mongo-connection-options.js';
import { ensureMongoAppUser } from '../messages/store/mongo/mongo-users.js';
import { createDataSource, describeDatabase } from './data-source.factory.js';
import { ensureMysqlUsers, grantAppTables, grantSchemaOwner } from './database-users.js';
import { mysqlConnectionParts } from './mysql-connection.js';
import { runPendingMigrations } from './run-migrations.js';

/**
 * One-off migration task, run once per deploy before the new tasks start (an entry point like
 * main.ts, so it may assemble the features' tables; nothing imports it):
 *   node dist/app/src/database/migrate.js
 * With MYSQL_ADMIN_* set it first provisions the least-privilege users (database-users.ts),
 * then applies the migrations as the migration user (MYSQL_USER), then grants the app user
 * (MYSQL_APP_*) DML on the tables; with MONGO_ADMIN_* and MONGO_APP_* it provisions the
 * message store's app user too. Exits 0 when everything is current, 1 with the reason otherwise.
 */
const logger = new Logger('migrate');
const MIGRATIONS_TABLE = 'migrations';

async function main(): Promise<void> {
  const config = loadMigrationConfig();
  const { database } = config;
  if (database.kind === 'mysql' && config.mysqlAdmin !== undefined) {
    const owner = mysqlConnectionParts(database.mysql);
    await asAdmin(database, config.mysqlAdmin, async (admin) => {
      const users = [{ user: owner.user, password: owner.password }];
      if (config.mysqlApp !== undefined) users.push(config.mysqlApp);
      await ensureMysqlUsers(admin, users);
      await grantSchemaOwner(admin, owner.database, owner.user);
    });
  }
  await migrate(database);
  if (database.kind === 'mysql' && config.mysqlAdmin !== undefined && config.mysqlApp !== undefined) {
    const app = config.mysqlApp;
    const tables = await asAdmin(database, config.mysqlAdmin, (admin) =>
      grantAppTables(admin, mysqlConnectionParts(database.mysql).database, app.user, [MIGRATIONS_TABLE]),
    );
    logger.log(`app user ${app.user}: DML on ${tables.join(', ')}`);
  }
  await provisionMongo(config);
}

async function migrate(database: DatabaseConfig): Promise<void> {
  const where = describeDatabase(database);
  const dataSource = createDataSource(database, APP_TABLES);
  try {
    await dataSource.initialize();
  } catch (error) {
    throw new Error(`cannot connect to ${where}: ${(error as Error).message}`, { cause: error });
  }
  try {
    const names = await runPendingMigrations(dataSource);
    logger.log(names.length === 0 ? `${where} is up to date` : `applied to ${where}: ${names.join(', ')}`);
  } finally {
    await dataSource.destroy();
  }
}

async function asAdmin<T>(
  database: DatabaseConfig & { kind: 'mysql' },
  login: DatabaseLogin,
  work: (admin: { query(sql: string, parameters?: unknown[]): Promise<unknown> }) => Promise<T>,
): Promise<T> {
  // Same server and schema as the migration user, the admin's login.
  const { host, port, database: schema } = mysqlConnectionParts(database.mysql);
  const adminConfig: DatabaseConfig = {
    ...database,
    mysql: { ...database.mysql, url: undefined, host, port, database: schema, ...login },
  };
  const dataSource = createDataSource(adminConfig, APP_TABLES);
  try {
    await dataSource.initialize();
  } catch (error) {
    throw new Error(`cannot connect to ${describeDatabase(adminConfig)}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  try {
    return await work(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

async function provisionMongo(config: MigrationConfig): Promise<void> {
  const { messageStore, mongoAdmin, mongoApp } = config;
  if (messageStore.kind !== 'mongo' || mongoAdmin === undefined || mongoApp === undefined) return;
  const asAdminConfig: MongoConfig = {
    ...messageStore.mongo,
    username: mongoAdmin.user,
    password: mongoAdmin.password,
  };
  const { uri, options } = mongoConnectionSettings(asAdminConfig);
  const connection = await mongoose.createConnection(uri, options).asPromise();
  try {
    const db = connection.db;
    if (db === undefined) throw new Error('mongodb: not connected');
    const outcome = await ensureMongoAppUser(db.admin(), mongoApp, messageStore.mongo.database);
    logger.log(`message store app user ${mongoApp.user} ${outcome} (readWrite on ${messageStore.mongo.database})`);
  } finally {
    await connection.close();
  }
}

main().then(
  () => {
    process.exitCode = 0;
  },
  (error: unknown) => {
    logger.error(`migration failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
