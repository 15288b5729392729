import { copyFileSync, cpSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './paths.js';

export interface ServerBuild {
  /** Directory to run the server from (has package.json and a node_modules link). */
  readonly root: string;
  readonly entry: string;
  /** The `floor-*` scenarios' bare fan-out server (floor-server.ts), from the same snapshot. */
  readonly floorEntry: string;
  /** The drain scenarios' worker, from the same snapshot (it imports the copied dist/app). */
  readonly drainEntry: string;
}

/**
 * Copies the compiled server (dist/app) into the run's temp dir once, before the first
 * scenario. Others rebuild dist/ in this working tree while a run is in progress; without the
 * copy, later scenarios would measure different code — or a half-written build.
 * package.json keeps `"type": "module"`; node_modules is linked, not copied. dist/bench is
 * copied too, for the drain worker, which runs app code (persister, store) in its own process.
 */
export function snapshotServerBuild(tmpDir: string): ServerBuild {
  const source = join(REPO_ROOT, 'dist', 'app');
  // The service runs as production runs it: the bundle (app/build-bundle.mjs).
  const bundled = join('src', 'bundle', 'main.js');
  if (!existsSync(join(source, bundled))) {
    throw new Error(`${join(source, bundled)} not found; run \`npm run build\` first`);
  }
  const root = join(tmpDir, 'server-build');
  mkdirSync(root, { recursive: true });
  cpSync(source, join(root, 'dist', 'app'), { recursive: true });
  cpSync(join(REPO_ROOT, 'dist', 'bench'), join(root, 'dist', 'bench'), { recursive: true });
  copyFileSync(join(REPO_ROOT, 'package.json'), join(root, 'package.json'));
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  return {
    root,
    entry: join(root, 'dist', 'app', bundled),
    floorEntry: join(root, 'dist', 'bench', 'floor-server.js'),
    drainEntry: join(root, 'dist', 'bench', 'drain-worker.js'),
  };
}

/**
 * How a system starts from this build: the service from its entry with the run's extra node
 * flags (--server-node-flag), a bench script (the floor, the Socket.IO peer) from dist/bench
 * with none, since those flags are for the service only.
 */
export function launchOf(
  build: ServerBuild,
  benchScript: string | undefined,
  serviceNodeFlags: readonly string[],
): { readonly entry: string; readonly nodeArgs: string[] } {
  return benchScript === undefined
    ? { entry: build.entry, nodeArgs: [...serviceNodeFlags] }
    : { entry: join(build.root, 'dist', 'bench', benchScript), nodeArgs: [] };
}
