import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { COMPILED_MAIN } from '../support/server-process.js';

/** Every class the service's sources declare, by name (Nest and TypeORM read class names). */
function declaredNames(dir: string): Set<string> {
  const names = new Set<string>();
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const source = readFileSync(join(entry.parentPath, entry.name), 'utf8');
    for (const match of source.matchAll(/^(?:export )?(?:abstract )?class ([A-Za-z_]\w*)/gm)) {
      names.add(match[1]!);
    }
  }
  return names;
}

/**
 * The bundle keeps identifiers as written instead of esbuild's keepNames (app/build-bundle.mjs),
 * so a name survives only if scope hoisting did not rename it: a collision with a package's
 * top-level name makes `Foo` into `Foo2`, and Nest's logs and errors would then say `Foo2`.
 */
describe('the bundle (npm run build) keeps the service’s names', () => {
  const bundleDir = dirname(COMPILED_MAIN);
  const code = readdirSync(bundleDir)
    .filter((file) => file.endsWith('.js'))
    .map((file) => readFileSync(join(bundleDir, file), 'utf8'))
    .join('\n');
  const names = declaredNames('app/src');

  it('declares the service’s classes under their own names', () => {
    expect(names.size).toBeGreaterThan(100);
    const declared = (name: string) => new RegExp(`(?:\\bclass ${name}\\b|\\b${name}\\s*=\\s*class\\b)`).test(code);
    for (const name of ['StompSession', 'RedisBackplane', 'MessagePersister', 'AppModule']) {
      expect(names).toContain(name);
      expect([name, declared(name)]).toEqual([name, true]);
    }
  });

  it('renames none of them with a numeric suffix (as scope hoisting does on a collision)', () => {
    // `class Foo2` and `Foo2 = class` (in var lists too).
    const declarations = /\bclass\s+([A-Za-z_]\w*?)(\d+)\b|\b([A-Za-z_]\w*?)(\d+)\s*=\s*class\b/g;
    const renamed = new Set<string>();
    for (const match of code.matchAll(declarations)) {
      const [base, digits] = match[1] === undefined ? [match[3]!, match[4]!] : [match[1], match[2]!];
      if (names.has(base) && !names.has(base + digits)) renamed.add(base + digits);
    }
    expect([...renamed]).toEqual([]);
  });
});
