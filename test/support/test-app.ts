import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { createApp } from '../../app/src/app-factory.js';
import type { AppConfig } from '../../app/src/config/app-config.js';
import { loadConfig } from '../../app/src/config/load-config.js';
import { until } from './until.js';

export interface RunningApp {
  readonly app: INestApplication;
  readonly config: AppConfig;
  readonly port: number;
  readonly httpUrl: string;
  readonly wsUrl: string;
  close(): Promise<void>;
}

/**
 * Boots the real service on an ephemeral loopback port with the given environment overrides,
 * on a throw-away data directory (SQLite, generated JWT secret) unless DATA_DIR is given.
 */
export async function startTestApp(env: Record<string, string> = {}): Promise<RunningApp> {
  const ownDataDir = env['DATA_DIR'] === undefined ? mkdtempSync(join(tmpdir(), 'chat-app-')) : undefined;
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    ...(ownDataDir === undefined ? {} : { DATA_DIR: ownDataDir }),
    ...env,
  });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return {
    app,
    config,
    port: address.port,
    httpUrl: `http://127.0.0.1:${address.port}`,
    wsUrl: `ws://127.0.0.1:${address.port}/ws`,
    close: async () => {
      await app.close();
      if (ownDataDir !== undefined) rmSync(ownDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Resolves once GET /readyz answers 200, as a load balancer waits before routing clients to a new
 * instance: a session accepted earlier may find the backplane still connecting (RabbitMQ refuses
 * publishes until then rather than queueing them).
 */
export async function whenReady(httpUrl: string, timeoutMs = 10_000): Promise<void> {
  await until(async () => (await fetch(`${httpUrl}/readyz`).catch(() => undefined))?.status === 200, timeoutMs);
}
