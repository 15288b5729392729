import type { Logger } from 'pino';
import { createApp } from './app-factory.js';
import { loadConfig } from './config/load-config.js';
import { GracefulDrain } from './ops/graceful-drain.js';
import { LOGGER } from './ops/logger.js';
import { closeOps, listenOps, opsPortOf } from './ops/ops-listener.js';

// Past the drain window, give flushes this much longer before giving up on a clean exit.
const EXIT_GRACE_MS = 15_000;

/**
 * Bootstrap: config → app → listen → exit cleanly on SIGTERM/SIGINT. `onListening` runs once the
 * public port listens, before the first connection is handled.
 */
export async function serve(onListening: () => void): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  const log = app.get<Logger>(LOGGER);
  await app.listen(config.http.port, config.http.host);
  onListening();
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address !== null ? address.port : config.http.port;
  log.info({ port, stomp: `ws://localhost:${port}/ws` }, 'listening');
  const { opsPort } = config.http;
  const ops = opsPort === undefined ? undefined : await listenOps(app, config.http.host, opsPort);
  if (ops) log.info({ opsPort: opsPortOf(ops) }, 'ops listening');

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.shutdown.drainMs + EXIT_GRACE_MS).unref();
    // Drain first (readiness false at once, sessions closed in batches, flushes), then let
    // Nest run the modules' shutdown hooks and close HTTP.
    app
      .get(GracefulDrain, { strict: false })
      .run()
      .then(() => app.close())
      .then(() => (ops ? closeOps(ops) : undefined))
      .then(
        () => process.exit(0),
        (error: unknown) => {
          log.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
