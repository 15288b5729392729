import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Logger } from 'pino';
import { AppModule } from './app.module.js';
import { StompWsAdapter } from './gateways/stomp-ws.adapter.js';
import { configureHttp } from './http/configure-http.js';
import { guardPendingConnections } from './http/pending-connections.js';
import type { AppConfig } from './config/app-config.js';
import { LOGGER } from './ops/logger.js';
import { NestPinoLogger } from './ops/nest-pino-logger.js';
import { opsRoutesOnlyOnOpsListener } from './ops/ops-routes.js';

/** Builds the Nest application (not yet listening). main.ts and the end-to-end tests share it. */
export async function createApp(config: AppConfig): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(config), { bufferLogs: true });
  app.useLogger(new NestPinoLogger(app.get<Logger>(LOGGER)));
  // Before any route: with an ops listener, the public port no longer serves the ops routes.
  if (config.http.opsPort !== undefined) app.use(opsRoutesOnlyOnOpsListener());
  // Before listen(): body limits, validation, the one error filter, OpenAPI.
  configureHttp(app, {
    jsonBodyLimit: `${config.http.jsonBodyLimitBytes}b`,
    maxJsonDepth: config.http.maxJsonDepth,
    trustProxyHops: config.http.trustProxyHops,
  });
  guardPendingConnections(app.getHttpServer(), config.http);
  // STOMP on /ws of the same HTTP server; the gateways' destinations are bound at init.
  app.useWebSocketAdapter(new StompWsAdapter(app));
  return app;
}
