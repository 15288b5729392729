import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { describeWithMysql } from '../support/scratch-mysql.js';
import { mysqlUrl } from '../support/services.js';

const MIGRATE = 'dist/app/src/database/migrate.js';

/** The compiled migration task, as the deployment runs it; resolves with its exit code and stderr. */
async function runMigrationTask(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [MIGRATE], {
    env: { PATH: process.env['PATH'], NODE_ENV: 'production', DATABASE: 'mysql', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, output };
}

await describeWithMysql('least-privilege users created by the migration run (MariaDB)', (database) => {
  const server = new URL(mysqlUrl());
  const host = server.hostname;
  const port = server.port === '' ? 3306 : Number(server.port);
  const suffix = randomBytes(4).toString('hex');
  const admin = { user: `t_adm_${suffix}`, password: `adm-${suffix}-pw` };
  const owner = { user: `t_mig_${suffix}`, password: `mig-${suffix}-pw` };
  const app = { user: `t_app_${suffix}`, password: `app-${suffix}-pw` };
  let root: mysql.Connection;

  const connectAs = (login: { user: string; password: string }) =>
    mysql.createConnection({ host, port, ...login, database: database.name, connectTimeout: 3_000 });
  const taskEnv = (appPassword: string) => ({
    MYSQL_HOST: host,
    MYSQL_PORT: String(port),
    MYSQL_DATABASE: database.name,
    MYSQL_USER: owner.user,
    MYSQL_PASSWORD: owner.password,
    MYSQL_ADMIN_USER: admin.user,
    MYSQL_ADMIN_PASSWORD: admin.password,
    MYSQL_APP_USER: app.user,
    MYSQL_APP_PASSWORD: appPassword,
  });

  beforeAll(async () => {
    root = await mysql.createConnection({
      host,
      port,
      user: decodeURIComponent(server.username) || 'root',
      password: decodeURIComponent(server.password),
    });
    // Stands in for the RDS master user: may create users and grant on the chat schema.
    await root.query("CREATE USER ?@'%' IDENTIFIED BY ?", [admin.user, admin.password]);
    await root.query("GRANT CREATE USER ON *.* TO ?@'%'", [admin.user]);
    await root.query("GRANT ALL PRIVILEGES ON ??.* TO ?@'%' WITH GRANT OPTION", [database.name, admin.user]);
  });

  afterAll(async () => {
    for (const login of [admin, owner, app]) await root.query("DROP USER IF EXISTS ?@'%'", [login.user]);
    await root.end();
    await database.drop();
  });

  it('provisions both users, migrates as the migration user, and gives the app user DML only', async () => {
    expect(existsSync(MIGRATE)).toBe(true); // `npm test` builds first
    const run = await runMigrationTask(taskEnv(app.password));
    expect({ code: run.code, output: run.output }).toEqual({
      code: 0,
      output: expect.stringContaining(`app user ${app.user}: DML on`),
    });

    const asApp = await connectAs(app);
    try {
      // Each statement needs its privilege even when it touches no row.
      await asApp.query('SELECT COUNT(*) FROM users');
      await asApp.query('INSERT INTO users SELECT * FROM users WHERE 1 = 0');
      await asApp.query('UPDATE users SET username = username WHERE 1 = 0');
      await asApp.query('DELETE FROM users WHERE 1 = 0');
      await expect(asApp.query('CREATE TABLE intruder (id INT)')).rejects.toThrow(/denied/i);
      await expect(asApp.query('DROP TABLE users')).rejects.toThrow(/denied/i);
      await expect(asApp.query('SELECT * FROM migrations')).rejects.toThrow(/denied/i);
    } finally {
      await asApp.end();
    }

    const asOwner = await connectAs(owner);
    try {
      await asOwner.query('CREATE TABLE owner_probe (id INT)');
      await asOwner.query('DROP TABLE owner_probe');
      await expect(asOwner.query(`CREATE DATABASE t_other_${suffix}`)).rejects.toThrow(/denied/i);
    } finally {
      await asOwner.end();
    }
  }, 60_000);

  it('applies a rotated app password on the next run', async () => {
    const rotated = `app-${suffix}-rotated`;
    const run = await runMigrationTask(taskEnv(rotated));
    expect(run.code).toBe(0);
    await expect(connectAs(app)).rejects.toThrow(/denied/i);
    const asApp = await connectAs({ user: app.user, password: rotated });
    await asApp.end();
  }, 60_000);
});
