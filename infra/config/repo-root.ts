import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository root: the nearest directory above `fromUrl` that holds `cdk.json`.
 *
 * Found by walking up rather than by a fixed `../..` so the same code works from the
 * TypeScript sources (jest) and from the compiled copy under `dist/` (cdk CLI).
 */
export function findRepoRoot(fromUrl: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(fromUrl));
  for (;;) {
    if (existsSync(join(dir, 'cdk.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no cdk.json found above ${fileURLToPath(fromUrl)}`);
    dir = parent;
  }
}
