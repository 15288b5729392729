import { describe, expect, it } from '@jest/globals';
import { fmt, resultBaseName, table, verdict } from '../../../bench/format.js';
import { renderMarkdown } from '../../../bench/report.js';
import { sampleDrain, sampleMetrics, sampleResult, sampleRun } from './sample-run.js';

describe('format helpers', () => {
  it('formats numbers with fixed digits and a dash for missing values', () => {
    expect(fmt(12_345.678, 1)).toBe('12,345.7');
    expect(fmt(0.5, 2)).toBe('0.50');
    expect(fmt(null)).toBe('—');
    expect(fmt(Number.NaN)).toBe('—');
  });

  it('renders verdicts', () => {
    expect([verdict(true), verdict(false), verdict(null)]).toEqual(['PASS', 'FAIL', 'n/a']);
  });

  it('builds a Markdown table and escapes pipes in cells', () => {
    expect(table(['a', 'b'], [['1', 'x|y']])).toBe('| a | b |\n| --- | --- |\n| 1 | x\\|y |');
  });

  it('names result files by date and commit, marking quick and partial runs', () => {
    const dateIso = '2025-03-04T10:00:00.000Z';
    expect(resultBaseName({ dateIso, commit: 'abc1234', quick: false, subset: null })).toBe('2025-03-04-abc1234');
    expect(resultBaseName({ dateIso, commit: 'abc1234', quick: true, subset: ['idle-5000'] })).toBe(
      '2025-03-04-abc1234-quick-idle-5000',
    );
    // A long selection keeps the file name short enough for the charts' suffixes.
    const many = Array.from({ length: 14 }, (_, i) => `scenario-number-${i}`);
    const name = resultBaseName({ dateIso, commit: 'abc1234', quick: false, subset: many });
    expect(name.length).toBeLessThan(160);
    expect(name).toMatch(/^2025-03-04-abc1234-scenario-number-0\+scenario-number-1\+.*\+\d+-more$/);
  });
});

describe('renderMarkdown', () => {
  it('has one result row per scenario with the measured figures', () => {
    const markdown = renderMarkdown(
      sampleRun([
        sampleResult(),
        sampleResult({
          name: 'idle-5000',
          kind: 'idle',
          metrics: sampleMetrics({
            deliveredPerSec: null,
            expectedDeliveredPerSec: null,
            latencyMs: null,
            cpuUsPerDelivery: null,
            rssKiBPerIdleConnection: 9.75,
          }),
          targets: [{ metric: 'rssKiBPerIdleConnection', limit: '≤ 12', value: 9.75, pass: true, source: 'issue' }],
          baselines: [],
        }),
      ]),
    );
    expect(markdown).toContain(
      '| fanout-100x100 | 100 × 100 | 10,000 (10,000) | 1.20 | 2.00 | 4.00 | 9.50 | 15.0 | 15.0 | 20 | 1 |',
    );
    expect(markdown).toMatch(/\| idle-5000 \| 100 idle \|.*\| 9\.75 \|/);
    expect(markdown).toContain('| fanout-100x100 | cpuUsPerDelivery | ≤ 20 | 15.00 | PASS | issue |');
    expect(markdown).toContain('| fanout-100x100 | cpuUsPerDelivery | 15.00 | nest | 28.00 | 0.54× |');
  });

  it('shows failed scenarios with their reason and client error samples', () => {
    const markdown = renderMarkdown(
      sampleRun([
        sampleResult({
          status: 'failed',
          metrics: undefined,
          reason: 'server exited\nstack',
          targets: [],
          baselines: [],
        }),
        sampleResult({
          name: 'fanout-1000x10',
          metrics: sampleMetrics({
            errors: {
              connectFailures: 2,
              unconfirmedSubscriptions: 0,
              errorFrames: 1,
              unexpectedCloses: 0,
              samples: ['ERROR frame: nope'],
            },
          }),
        }),
      ]),
    );
    expect(markdown).toContain('| fanout-100x100 | 100 × 100 | FAILED |');
    expect(markdown).toContain('- fanout-100x100: failed: server exited');
    expect(markdown).not.toContain('stack');
    expect(markdown).toContain('- fanout-1000x10: client saw: ERROR frame: nope');
    expect(markdown).toMatch(/\| fanout-1000x10 \|.*\| 3 \| 1\/1 pass \|/);
  });

  it('marks scenarios skipped for want of Redis, and says where Redis and MariaDB were', () => {
    const run = sampleRun([
      sampleResult({
        name: 'fanout-100x100-redis2',
        status: 'skipped',
        metrics: undefined,
        targets: [],
        baselines: [],
        reason: 'no Redis at redis://127.0.0.1:6379: connect ECONNREFUSED',
      }),
    ]);
    const markdown = renderMarkdown({
      ...run,
      config: {
        ...run.config,
        services: {
          redis: {
            url: 'redis://127.0.0.1:6379',
            available: false,
            reason: 'no Redis at redis://127.0.0.1:6379: connect ECONNREFUSED',
            keyPrefix: 'bench:00000000:',
          },
          mariadb: { url: 'mysql://root@127.0.0.1:3306', available: true },
        },
      },
    });
    expect(markdown).toContain('| fanout-100x100-redis2 | 100 × 100 | SKIPPED |');
    expect(markdown).toContain(
      '- fanout-100x100-redis2: skipped: no Redis at redis://127.0.0.1:6379: connect ECONNREFUSED',
    );
    expect(markdown).toContain(
      '- Redis: unavailable (no Redis at redis://127.0.0.1:6379: connect ECONNREFUSED): its scenarios were skipped',
    );
    expect(markdown).toContain(
      '- MariaDB: mysql://root@127.0.0.1:3306, a scratch `bench_<random>` database per drain attempt',
    );
  });

  it('shows comparisons within the run with both values, the deltas and the verdict, and the Redis CPU column', () => {
    const markdown = renderMarkdown(
      sampleRun([
        sampleResult({
          name: 'fanout-100x100-redis2',
          servers: 2,
          backplane: 'redis',
          metrics: sampleMetrics({ redisCpuPercent: 7.4 }),
          comparisons: [
            {
              metric: 'cpuUsPerDelivery',
              reference: 'fanout-100x100',
              value: 15,
              referenceValue: 12,
              delta: 3,
              deltaPercent: 25,
              allowed: '+15 %',
              bound: 13.8,
              pass: false,
              limited: true,
              source: 'scale-out issue',
            },
            {
              metric: 'latencyP50Ms',
              reference: 'fanout-100x100-redis1',
              value: 1.2,
              referenceValue: 1.3,
              delta: -0.1,
              deltaPercent: -7.69,
              allowed: '',
              bound: null,
              pass: null,
              limited: false,
              source: 'context',
            },
          ],
        }),
      ]),
    );
    expect(markdown).toContain('## Compared within this run');
    expect(markdown).toContain(
      '| fanout-100x100-redis2 | cpuUsPerDelivery | 15.00 | fanout-100x100 | 12.00 | +3.00 | +25.0 % | +15 % | FAIL |',
    );
    expect(markdown).toContain(
      '| fanout-100x100-redis2 | latencyP50Ms | 1.20 | fanout-100x100-redis1 | 1.30 | -0.10 | -7.7 % | context | — |',
    );
    expect(markdown).toMatch(/\| fanout-100x100-redis2 \| 100 × 100 \(2 servers\), Redis \|.*\| 1 \| 7 \| — \|/);
  });

  it('has a drain section with the rate, the verification and the target', () => {
    const markdown = renderMarkdown(
      sampleRun([
        sampleResult({
          name: 'persist-drain-mariadb-redis',
          kind: 'drain',
          metrics: undefined,
          drain: sampleDrain(),
          targets: [
            { metric: 'drainMessagesPerSec', limit: '≥ 10000', value: 20_000, pass: true, source: 'scale-out issue' },
          ],
          baselines: [],
        }),
      ]),
    );
    expect(markdown).toContain('| persist-drain-mariadb-redis | 50,000 queued (redis) | see Persister drain |');
    expect(markdown).toContain('## Persister drain into MariaDB');
    expect(markdown).toContain(
      '| persist-drain-mariadb-redis | Redis stream | 50,000 | 500 | 1.50 | 2.50 | 20,000 | 30.0 | 60 | 45 | 10 | 2 | yes | ≥ 10000: PASS |',
    );
  });
});
