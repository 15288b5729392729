import { describe, expect, it } from '@jest/globals';
import { hotFunctions, type CpuProfile } from '../../../bench/cpu-profile.js';

const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber });

// (root) → a → b, (root) → (idle); a calls b. Samples: b, b, a, idle.
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 4] },
    { id: 2, callFrame: frame('a', 'file:///repo/dist/app/x.js', 9), children: [3] },
    { id: 3, callFrame: frame('b', 'file:///repo/dist/app/y.js', 19) },
    { id: 4, callFrame: frame('(idle)') },
  ],
  samples: [3, 3, 2, 4, 3],
  // Sample i is credited with timeDeltas[i + 1].
  timeDeltas: [0, 100, 300, 200, 5000],
};

describe('hotFunctions', () => {
  it('ranks by self time, excludes idle from the percentages and shortens locations', () => {
    const hot = hotFunctions(profile, 10, (url) => url.replace('file:///repo/', ''));
    expect(hot.map((entry) => entry.name)).toEqual(['b', 'a']);
    const [b, a] = hot;
    expect(b).toMatchObject({ location: 'dist/app/y.js:20', selfMs: 0.4, totalMs: 0.4 });
    expect(a).toMatchObject({ location: 'dist/app/x.js:10', selfMs: 0.2, totalMs: 0.6 });
    expect(b!.selfPct).toBeCloseTo(66.67, 1);
    expect(a!.totalPct).toBeCloseTo(100, 5);
  });

  it('counts only the samples taken inside the window, in µs since the first sample', () => {
    // Samples are taken at 0, 100, 400, 600 and 5600 µs; the window keeps the 2nd (b) and 3rd (a).
    const hot = hotFunctions(profile, 10, undefined, { fromUs: 100, toUs: 500 });
    expect(hot.map((entry) => [entry.name, entry.selfMs])).toEqual([
      ['b', 0.3],
      ['a', 0.2],
    ]);
  });

  it('honours the limit', () => {
    expect(hotFunctions(profile, 1)).toHaveLength(1);
  });
});
