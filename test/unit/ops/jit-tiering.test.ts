import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { SERVICE_INTERRUPT_BUDGET, V8_DEFAULT_INTERRUPT_BUDGET } from '../../../app/src/ops/jit-tiering.js';

/** The compiled module (`npm test` builds first), so each child gets a V8 of its own. */
const COMPILED = pathToFileURL(resolve('dist/app/src/ops/jit-tiering.js')).href;

/** V8's optimization status bits (runtime-test.cc): optimized, TurboFan code, marked, compiling. */
const ON_THE_WAY_TO_OPTIMIZED = (1 << 4) | (1 << 6) | (1 << 8) | (1 << 9) | (1 << 10);

/**
 * In a fresh node (with `nodeFlags`, after tierUpSooner() if `sooner`): how many calls of a small
 * function it takes until V8 marks it for optimization or has optimized it.
 */
function callsUntilOptimizing(sooner: boolean, nodeFlags: string[] = []): number {
  const script = `
    import { setFlagsFromString } from 'node:v8';
    import { tierUpSooner } from ${JSON.stringify(COMPILED)};
    if (${sooner}) tierUpSooner();
    setFlagsFromString('--allow-natives-syntax');
    const status = new Function('f', 'return %GetOptimizationStatus(f)');
    const work = new Function('x', 'let s = 0; for (let i = 0; i < 20; i++) s += (x * i) % 7; return s;');
    let calls = 0;
    for (; calls < 100_000; calls++) {
      work(calls);
      if (status(work) & ${ON_THE_WAY_TO_OPTIMIZED}) break;
    }
    console.log(calls);
  `;
  const out = execFileSync(process.execPath, [...nodeFlags, '--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
  return Number(out.trim());
}

describe('tierUpSooner', () => {
  it("lowers V8's own default budget", () => {
    const options = execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8' });
    const listed = /default: --interrupt-budget=(\d+)/.exec(options);
    expect(listed?.[1]).toBe(String(V8_DEFAULT_INTERRUPT_BUDGET));
    expect(SERVICE_INTERRUPT_BUDGET).toBeLessThan(V8_DEFAULT_INTERRUPT_BUDGET);
  });

  it('has V8 optimize a function after fewer calls, though set after node started', () => {
    const byDefault = callsUntilOptimizing(false);
    const sooner = callsUntilOptimizing(true);
    expect(byDefault).toBeLessThan(100_000);
    // The budget is spent in proportion to the work done, so a quarter of it: about a quarter of the calls.
    expect(sooner).toBeLessThan(byDefault / 2);
  });

  it('leaves a budget given on the command line as it is', () => {
    const byDefault = callsUntilOptimizing(false);
    expect(callsUntilOptimizing(true, [`--interrupt-budget=${V8_DEFAULT_INTERRUPT_BUDGET}`])).toBe(byDefault);
    expect(callsUntilOptimizing(true, [`--interrupt_budget=${V8_DEFAULT_INTERRUPT_BUDGET}`])).toBe(byDefault);
  });
});
