/**
 * Bundles the TypeScript processor, with @stomp/stompjs and ws, into one CommonJS file the
 * scenarios name as `config.processor`. One self-contained file is what Artillery loads
 * locally and what `run-fargate` ships to its workers, with nothing to install there.
 *
 * Why not let Artillery bundle the .ts itself: it writes CommonJS with a `.js` extension,
 * which Node loads as ESM in this `"type": "module"` package and fails.
 */
import { join } from 'node:path';
import * as esbuild from 'esbuild-wasm';

/** Where the bundle goes, relative to the repository root (the scenarios point here). */
export const PROCESSOR_BUNDLE = join('loadtest', 'processor', 'dist', 'stomp-processor.cjs');

export async function bundleProcessor(repoRoot: string): Promise<string> {
  const outfile = join(repoRoot, PROCESSOR_BUNDLE);
  await esbuild.build({
    entryPoints: [join(repoRoot, 'loadtest', 'processor', 'index.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // ws loads these native speed-ups only if they are installed.
    external: ['bufferutil', 'utf-8-validate'],
    logLevel: 'warning',
  });
  return outfile;
}
