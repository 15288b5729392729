import { describe, expect, it } from '@jest/globals';
import { fmt, resultBaseName, table, verdict } from '../../../bench/format.js';
import { renderMarkdown } from '../../../bench/report.js';
import { sampleMetrics, sampleResult, sampleRun } from './sample-run.js';

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
    expect(markdown).toContain('| fanout-100x100 | 100 × 100 | 10,000 (10,000) | 1.20 | 2.00 | 4.00 | 9.50 | 15.0 | 15.0 | 20 | 1 |');
    expect(markdown).toMatch(/\| idle-5000 \| 100 idle \|.*\| 9\.75 \|/);
    expect(markdown).toContain('| fanout-100x100 | cpuUsPerDelivery | ≤ 20 | 15.00 | PASS | issue |');
    expect(markdown).toContain('| fanout-100x100 | cpuUsPerDelivery | 15.00 | nest | 28.00 | 0.54× |');
  });

  it('shows failed scenarios with their reason and client error samples', () => {
    const markdown = renderMarkdown(
      sampleRun([
        sampleResult({ status: 'failed', metrics: undefined, reason: 'server exited\nstack', targets: [], baselines: [] }),
        sampleResult({
          name: 'fanout-1000x10',
          metrics: sampleMetrics({
            errors: { connectFailures: 2, unconfirmedSubscriptions: 0, errorFrames: 1, unexpectedCloses: 0, samples: ['ERROR frame: nope'] },
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
});
