import type { INestApplication } from '@nestjs/common';
import { createApp } from '../../app/src/app-factory.js';
import { loadConfig } from '../../app/src/config/load-config.js';

export interface RunningApp {
  readonly app: INestApplication;
  readonly port: number;
  readonly httpUrl: string;
  readonly wsUrl: string;
  close(): Promise<void>;
}

/** Boots the real service on an ephemeral loopback port with the given environment overrides. */
export async function startTestApp(env: Record<string, string> = {}): Promise<RunningApp> {
  const config = loadConfig({ NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', ...env });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return {
    app,
    port: address.port,
    httpUrl: `http://127.0.0.1:${address.port}`,
    wsUrl: `ws://127.0.0.1:${address.port}/ws`,
    close: () => app.close(),
  };
}
