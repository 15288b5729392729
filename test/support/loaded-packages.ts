import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The compiled preload that records what a process loads (test/support/module-recorder.ts). */
export const MODULE_RECORDER = 'dist/test/support/module-recorder.js';

/**
 * The npm packages among the modules a record lists: the name after each line's last
 * `node_modules/` (scoped names keep their scope), so a dependency's own dependencies count
 * under their own names.
 */
export function loadedPackages(recordFile: string): Set<string> {
  const packages = new Set<string>();
  for (const line of readFileSync(recordFile, 'utf8').split('\n')) {
    if (line === '') continue;
    const path = line.startsWith('file:') ? fileURLToPath(line) : line;
    const match = /.*\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path);
    if (match) packages.add(match[1]!);
  }
  return packages;
}
