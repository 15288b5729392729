import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppErrorFilter } from './app-error.filter.js';
import { setupOpenApi } from './openapi.js';
import { createValidationPipe } from './validation.pipe.js';

export interface HttpOptions {
  /** Largest JSON request body; the API's bodies are a few hundred bytes. @default '16kb' */
  readonly jsonBodyLimit?: string;
  /** Deepest JSON nesting a body may have (400 JSON_TOO_DEEP beyond). @default 32 */
  readonly maxJsonDepth?: number;
  /** Proxy hops whose X-Forwarded-For is believed, so `req.ip` is the client behind them. @default 0 */
  readonly trustProxyHops?: number;
  /** Serve the OpenAPI document (/docs-json) and UI (/docs). @default true */
  readonly openApi?: boolean;
  readonly title?: string;
  readonly version?: string;
}

/**
 * Application-wide HTTP settings: body size limit, the validation pipe, the error filter
 * and the OpenAPI document. Call after NestFactory.create() and before listen()/init():
 * the JSON parser registered here replaces Nest's default (100 kB) one, which Nest only
 * adds at init when none is registered yet.
 */
export function configureHttp(app: INestApplication, options: HttpOptions = {}): void {
  const express = app as NestExpressApplication;
  const limit = options.jsonBodyLimit ?? '16kb';
  express.useBodyParser('json', { limit });
  express.useBodyParser('urlencoded', { limit, extended: false });
  express.disable('x-powered-by');
  // A number, not `true`: only the hops we deploy behind may name the client (X-Forwarded-For is forgeable).
  express.set('trust proxy', options.trustProxyHops ?? 0);
  app.useGlobalPipes(createValidationPipe(options.maxJsonDepth));
  app.useGlobalFilters(new AppErrorFilter());
  if (options.openApi ?? true) {
    setupOpenApi(app, { title: options.title ?? 'stomp-chat', version: options.version ?? '0.1.0' });
  }
}
