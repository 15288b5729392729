import { describe, expect, it } from '@jest/globals';
import { SCENARIOS, drainMessages, effectiveShape, isLimited, selectScenarios } from '../../../bench/scenarios.js';

describe('scenario table', () => {
  it('runs the issue scenarios, the scale-out ones and the peers by default, each peer right after ours', () => {
    expect(selectScenarios(SCENARIOS, []).map((def) => def.name)).toEqual([
      'fanout-100x100',
      'fanout-100x100-redis1',
      'fanout-100x100-redis2',
      'floor-100x100',
      'socketio-100x100',
      'webstomp-100x100',
      'floor-100x100-redis1',
      'floor-100x100-redis2',
      'socketio-100x100-redis2',
      'fanout-1000x10',
      'floor-1000x10',
      'socketio-1000x10',
      'webstomp-1000x10',
      'fanout-100x1000',
      'floor-100x1000',
      'idle-5000',
      'receipts-redis-8x12000',
      'startup-embedded',
      'startup-redis-mariadb',
      'startup-floor',
      'persist-drain-mariadb',
      'persist-drain-mariadb-redis',
      'fanout-100x100-rabbitmq1',
      'fanout-100x100-rabbitmq2',
      'fanout-1000x10-rabbitmq1',
      'receipts-rabbitmq-8x12000',
    ]);
  });

  it('gives each floor the load, servers and backplane of the service scenario it stands under', () => {
    const load = (name: string) => {
      const def = SCENARIOS.find((candidate) => candidate.name === name)!;
      const { subscribers, publishers, ratePerSec, bodyBytes, servers, backplane, quick } = def;
      return {
        server: def.server ?? 'app',
        shape: { subscribers, publishers, ratePerSec, bodyBytes, servers, backplane, quick },
      };
    };
    for (const [peer, service, system] of [
      ['floor-100x100', 'fanout-100x100', 'floor'],
      ['floor-100x100-redis1', 'fanout-100x100-redis1', 'floor'],
      ['floor-100x100-redis2', 'fanout-100x100-redis2', 'floor'],
      ['socketio-100x100', 'fanout-100x100', 'socketio'],
      ['webstomp-100x100', 'fanout-100x100', 'webstomp'],
      ['socketio-100x100-redis2', 'fanout-100x100-redis2', 'socketio'],
      ['floor-1000x10', 'fanout-1000x10', 'floor'],
      ['socketio-1000x10', 'fanout-1000x10', 'socketio'],
      ['webstomp-1000x10', 'fanout-1000x10', 'webstomp'],
      ['floor-100x1000', 'fanout-100x1000', 'floor'],
    ] as const) {
      expect(load(peer).server).toBe(system);
      expect(load(service).server).toBe('app');
      expect(load(peer).shape).toEqual(load(service).shape);
    }
  });

  it('selects by repeated or comma-separated names, in table order', () => {
    expect(selectScenarios(SCENARIOS, ['idle-5000,fanout-100x1000']).map((def) => def.name)).toEqual([
      'fanout-100x1000',
      'floor-100x1000',
      'idle-5000',
    ]);
    expect(selectScenarios(SCENARIOS, ['receipts-4x2000'])[0]?.receipts).toBe(true);
    expect(selectScenarios(SCENARIOS, ['all'])).toHaveLength(SCENARIOS.length);
  });

  it('adds the scenarios that a selected one has relative targets against, but not mere context', () => {
    expect(selectScenarios(SCENARIOS, ['fanout-100x100-redis2']).map((def) => def.name)).toEqual([
      'fanout-100x100',
      'fanout-100x100-redis2',
      'floor-100x100-redis2',
    ]);
    expect(selectScenarios(SCENARIOS, ['fanout-100x100-redis1']).map((def) => def.name)).toEqual([
      'fanout-100x100-redis1',
    ]);
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
    expect(byName.get('fanout-100x100-redis1')).toMatchObject({ servers: 1, backplane: 'redis', services: ['redis'] });
    expect(byName.get('fanout-100x100-redis2')).toMatchObject({
      subscribers: 100,
      ratePerSec: 100,
      servers: 2,
      backplane: 'redis',
      services: ['redis'],
    });
    expect(byName.get('receipts-redis-8x12000')).toMatchObject({
      publishers: 8,
      ratePerSec: 12_000,
      servers: 1,
      backplane: 'redis',
      receipts: true,
    });
  });

  it('holds the scale-out targets: two instances against fanout-100x100, receipts and drain rates', () => {
    const byName = new Map(SCENARIOS.map((def) => [def.name, def]));
    expect(byName.get('fanout-100x100-redis2')?.comparisons.filter(isLimited)).toEqual([
      expect.objectContaining({ metric: 'latencyP50Ms', reference: 'fanout-100x100', maxIncrease: 1 }),
      expect.objectContaining({ metric: 'cpuUsPerDelivery', reference: 'fanout-100x100', maxIncreasePercent: 15 }),
      expect.objectContaining({
        metric: 'cpuUsPerDelivery',
        reference: 'floor-100x100-redis2',
        maxIncreasePercent: 15,
      }),
    ]);
    expect(byName.get('receipts-redis-8x12000')?.targets).toContainEqual(
      expect.objectContaining({ metric: 'receiptsPerSec', min: 10_000 }),
    );
    for (const name of ['persist-drain-mariadb', 'persist-drain-mariadb-redis']) {
      expect(byName.get(name)?.targets).toContainEqual(
        expect.objectContaining({ metric: 'drainMessagesPerSec', min: 10_000 }),
      );
      expect(byName.get(name)?.services).toContain('mariadb');
    }
    expect(byName.get('persist-drain-mariadb-redis')?.drain?.queue).toBe('redis');
    expect(byName.get('persist-drain-mariadb')?.drain?.queue).toBe('local');
  });

  it('holds the peer targets of issue #18: near the floor, 20 % under Socket.IO, saturation p99', () => {
    const byName = new Map(SCENARIOS.map((def) => [def.name, def]));
    for (const name of ['fanout-100x100', 'fanout-1000x10']) {
      const floor = name.replace('fanout', 'floor');
      const socketio = name.replace('fanout', 'socketio');
      expect(byName.get(name)?.comparisons.filter(isLimited)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ metric: 'cpuUsPerDelivery', reference: floor, maxIncreasePercent: 15 }),
          expect.objectContaining({ metric: 'cpuUsPerDelivery', reference: socketio, maxIncreasePercent: -20 }),
        ]),
      );
    }
    expect(byName.get('fanout-1000x10')?.comparisons).toContainEqual(
      expect.objectContaining({ metric: 'latencyP50Ms', reference: 'floor-1000x10', maxIncreasePercent: 10 }),
    );
    expect(byName.get('fanout-100x1000')?.comparisons).toContainEqual(
      expect.objectContaining({ metric: 'latencyP99Ms', reference: 'floor-100x1000', maxIncreasePercent: 50 }),
    );
    for (const metric of ['baselineRssMiB', 'idleRssMiB']) {
      expect(byName.get('startup-embedded')?.targets).toContainEqual(expect.objectContaining({ metric, max: 100 }));
    }
  });

  it('compares only with scenarios that exist', () => {
    const names = new Set(SCENARIOS.map((def) => def.name));
    for (const def of SCENARIOS)
      for (const comparison of def.comparisons) expect(names.has(comparison.reference)).toBe(true);
  });

  it('needs the shared Redis exactly where a Redis or RabbitMQ backplane (sequences in Redis) or queue is used without a cluster of its own, and MariaDB for drains', () => {
    for (const def of SCENARIOS) {
      expect(def.services.includes('redis')).toBe(def.backplane !== 'local' && def.redisCluster === undefined);
      expect(def.services.includes('mariadb')).toBe(def.kind === 'drain' || def.database === 'mysql');
      expect(def.services.includes('webstomp')).toBe(def.server === 'webstomp');
      expect(def.drain !== undefined).toBe(def.kind === 'drain');
    }
  });

  it('quick shapes are shorter and no larger than full ones', () => {
    for (const def of SCENARIOS) {
      if (def.kind === 'drain') {
        expect(drainMessages(def, true)).toBeLessThan(drainMessages(def, false));
        continue;
      }
      // A start-up scenario has no load to shorten.
      if (def.kind === 'startup') continue;
      const full = effectiveShape(def, false);
      const quick = effectiveShape(def, true);
      expect(quick.durationS + quick.warmupS).toBeLessThan(full.durationS + full.warmupS);
      expect(quick.subscribers).toBeLessThanOrEqual(full.subscribers);
      expect(quick.ratePerSec).toBeLessThanOrEqual(full.ratePerSec);
    }
  });
});
