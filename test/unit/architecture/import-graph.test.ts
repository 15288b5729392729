import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { cycles, folderGraph, importGraph } from '../../support/import-graph.js';

const ROOT = 'app/src';
/** Processes node starts: they assemble the features, and nothing may import them. */
const ENTRY_POINTS = new Set(['main.ts', 'database/migrate.ts']);

const graph = importGraph(ROOT);

describe('the import graph of app/src', () => {
  it('reads every file and resolves every relative import to one of them', () => {
    expect(graph.size).toBeGreaterThan(200);
    const unresolved = [...graph].flatMap(([file, imports]) =>
      imports.filter((imported) => !graph.has(imported)).map((imported) => `${file} -> ${imported}`),
    );
    expect(unresolved).toEqual([]);
  });

  it("counts a part loaded with import() when configured as the loader's import", () => {
    expect(graph.get('backplane/backplane.module.ts')).toEqual(
      expect.arrayContaining(['backplane/redis-parts.ts', 'backplane/rabbit-parts.ts']),
    );
  });

  it('has no loop between files', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('has no loop between top-level folders, entry points aside', () => {
    expect(cycles(folderGraph(graph, ENTRY_POINTS))).toEqual([]);
  });

  it('imports no entry point', () => {
    const importers = [...graph].filter(([, imports]) => imports.some((imported) => ENTRY_POINTS.has(imported)));
    expect(importers.map(([file]) => file)).toEqual([]);
  });

  it('has no Nest module loop: no forwardRef, which is how Nest closes one', () => {
    const users = [...graph.keys()].filter((file) => /\bforwardRef\s*\(/.test(readFileSync(join(ROOT, file), 'utf8')));
    expect(users).toEqual([]);
  });

  it('finds the loops it is there to catch', () => {
    const looped = new Map([
      ['a/x.ts', ['b/y.ts']],
      ['b/y.ts', ['b/z.ts']],
      ['b/z.ts', ['a/x.ts']],
      ['c/w.ts', ['a/x.ts']],
    ]);
    expect(cycles(looped)).toEqual([['a/x.ts', 'b/y.ts', 'b/z.ts']]);
    expect(cycles(folderGraph(looped))).toEqual([['a', 'b']]);
    expect(cycles(folderGraph(looped, new Set(['b/z.ts'])))).toEqual([]);
  });
});
