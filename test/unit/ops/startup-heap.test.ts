import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { V8_SEMI_SPACE_GROWTH_FACTOR } from '../../../app/src/ops/startup-heap.js';

/** The compiled module (`npm test` builds first), so each child gets a V8 of its own. */
const COMPILED = pathToFileURL(resolve('dist/app/src/ops/startup-heap.js')).href;

/**
 * In a fresh node: young-generation size (MiB) after keeping ~40 MiB of small objects alive, with
 * the hold on (`held`) and again after releasing it (`released`); `hold: false` never holds.
 */
function youngGenerationSizes(hold: boolean): { held: number; released: number } {
  const script = `
    import { getHeapSpaceStatistics } from 'node:v8';
    import { holdYoungGeneration } from ${JSON.stringify(COMPILED)};
    const youngMiB = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 1048576;
    const keep = [];
    const survive = () => { for (let i = 0; i < 400_000; i++) keep.push({ i, text: 'x' + i }); };
    const release = ${hold} ? holdYoungGeneration() : () => {};
    survive();
    const held = youngMiB();
    release();
    survive();
    console.log(JSON.stringify({ held, released: youngMiB() }));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  return JSON.parse(out) as { held: number; released: number };
}

describe('holdYoungGeneration', () => {
  it("restores V8's own default growth factor", () => {
    const options = execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8' });
    const listed = /default: --semi-space-growth-factor=(\d+)/.exec(options);
    expect(listed?.[1]).toBe(String(V8_SEMI_SPACE_GROWTH_FACTOR));
  });

  it('keeps the young generation from growing while what is allocated survives, and lets it grow once released', () => {
    const unheld = youngGenerationSizes(false);
    const held = youngGenerationSizes(true);
    // Without the hold, survival alone grows it (what start-up does to the service).
    expect(unheld.held).toBeGreaterThan(held.held * 4);
    expect(held.held).toBeLessThanOrEqual(4);
    expect(held.released).toBeGreaterThan(held.held * 4);
  });
});
