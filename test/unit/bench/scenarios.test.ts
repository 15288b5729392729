import { describe, expect, it } from '@jest/globals';
import { SCENARIOS, effectiveShape, selectScenarios } from '../../../bench/scenarios.js';

describe('scenario table', () => {
  it('runs the four issue scenarios by default', () => {
    expect(selectScenarios(SCENARIOS, []).map((def) => def.name)).toEqual([
      'fanout-100x100',
      'fanout-1000x10',
      'fanout-100x1000',
      'idle-5000',
    ]);
  });

  it('selects by repeated or comma-separated names, in table order', () => {
    expect(selectScenarios(SCENARIOS, ['idle-5000,fanout-100x100']).map((def) => def.name)).toEqual([
      'fanout-100x100',
      'idle-5000',
    ]);
    expect(selectScenarios(SCENARIOS, ['receipts-4x2000'])[0]?.receipts).toBe(true);
    expect(selectScenarios(SCENARIOS, ['all'])).toHaveLength(SCENARIOS.length);
  });

  it('refuses unknown names', () => {
    expect(() => selectScenarios(SCENARIOS, ['fanout-1x1'])).toThrow(/unknown scenario/);
  });

  it('has unique names and shapes that match their names', () => {
    expect(new Set(SCENARIOS.map((def) => def.name)).size).toBe(SCENARIOS.length);
    const byName = new Map(SCENARIOS.map((def) => [def.name, def]));
    expect(byName.get('fanout-1000x10')).toMatchObject({ subscribers: 1000, ratePerSec: 10 });
    expect(byName.get('fanout-100x1000')).toMatchObject({ subscribers: 100, ratePerSec: 1000 });
    expect(byName.get('idle-5000')).toMatchObject({ subscribers: 5000, publishers: 0, kind: 'idle' });
    expect(byName.get('fanout-100x100-redis2')).toMatchObject({ servers: 2, backplane: 'redis', requiresEnv: ['REDIS_URL'] });
  });

  it('quick shapes are shorter and no larger than full ones', () => {
    for (const def of SCENARIOS) {
      const full = effectiveShape(def, false);
      const quick = effectiveShape(def, true);
      expect(quick.durationS + quick.warmupS).toBeLessThan(full.durationS + full.warmupS);
      expect(quick.subscribers).toBeLessThanOrEqual(full.subscribers);
      expect(quick.ratePerSec).toBeLessThanOrEqual(full.ratePerSec);
    }
  });
});
