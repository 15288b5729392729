import type { Logger } from 'pino';
import { createApp } from './app-factory.js';
import { loadConfig } from './config/load-config.js';
import { AppError } from './errors/app-error.js';
import { LOGGER } from './ops/logger.js';

/** Bootstrap only: config → app → listen. Shutdown hooks are enabled by createApp. */
async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  await app.listen(config.http.port, config.http.host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address !== null ? address.port : config.http.port;
  app.get<Logger>(LOGGER).info({ port, stomp: `ws://localhost:${port}/ws` }, 'listening');
}

main().catch((error: unknown) => {
  // Configuration errors are the user's to fix: print them plainly, without a stack trace.
  if (error instanceof AppError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
