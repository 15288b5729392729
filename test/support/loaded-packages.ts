import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The compiled preload that records what a process loads (test/support/module-recorder.ts). */
export const MODULE_RECORDER = 'dist/test/support/module-recorder.js';

/** The parts of an esbuild metafile read here: each output file's input files. */
interface BundleMeta {
  readonly outputs: Record<string, { readonly inputs: Record<string, unknown> }>;
}

/**
 * The npm packages among the modules a record lists: the name after each line's last
 * `node_modules/` (scoped names keep their scope), so a dependency's own dependencies count
 * under their own names. With `bundleMeta` (the bundle's esbuild metafile, paths relative to the
 * working directory), a loaded chunk of the bundle counts as every package bundled into it.
 */
export function loadedPackages(recordFile: string, bundleMeta?: string): Set<string> {
  const chunks = bundleMeta === undefined ? new Map<string, string[]>() : chunkInputs(bundleMeta);
  const packages = new Set<string>();
  for (const line of readFileSync(recordFile, 'utf8').split('\n')) {
    if (line === '') continue;
    const path = line.startsWith('file:') ? fileURLToPath(line) : line;
    for (const file of chunks.get(resolve(path)) ?? [path]) {
      const name = packageOf(file);
      if (name !== undefined) packages.add(name);
    }
  }
  return packages;
}

/** The package after a path's last `node_modules/` (metafile inputs start with it, relative). */
function packageOf(path: string): string | undefined {
  return /(?:^|.*\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path)?.[1];
}

/** Each chunk's absolute path → the files bundled into it. */
function chunkInputs(metaFile: string): Map<string, string[]> {
  const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as BundleMeta;
  const chunks = new Map<string, string[]>();
  for (const [output, { inputs }] of Object.entries(meta.outputs)) {
    chunks.set(resolve(output), Object.keys(inputs));
  }
  return chunks;
}
