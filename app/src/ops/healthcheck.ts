import { loadConfig } from '../config/load-config.js';

/**
 * Container HEALTHCHECK: exits 0 when this task's /healthz answers 200 within two seconds.
 * Plain Node, so the image needs no curl.
 */
const { port } = loadConfig().http;
fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2_000) })
  .then((response) => process.exit(response.ok ? 0 : 1))
  .catch(() => process.exit(1));
