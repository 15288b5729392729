import { fileURLToPath } from 'node:url';

// Compiled to dist/bench/paths.js, so the repository root is two levels up.
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const WORKER_ENTRY = fileURLToPath(new URL('./load-worker.js', import.meta.url));
/** Results are committed, so they live in the source tree, not in dist/. */
export const RESULTS_DIR = fileURLToPath(new URL('../../bench/results/', import.meta.url));
