import { createApp } from './app-factory.js';
import { loadConfig } from './config/load-config.js';
import { AppError } from './errors/app-error.js';

/** Bootstrap only: config → app → listen. Shutdown hooks are enabled by createApp. */
async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  await app.listen(config.http.port, config.http.host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address !== null ? address.port : config.http.port;
  console.log(JSON.stringify({ level: 30, msg: 'listening', port, ws: `ws://localhost:${port}/ws` }));
}

main().catch((error: unknown) => {
  // Configuration errors are the user's to fix: print them plainly, without a stack trace.
  if (error instanceof AppError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
