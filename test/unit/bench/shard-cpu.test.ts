import { describe, expect, it } from '@jest/globals';
import { renderMarkdown } from '../../../bench/report.js';
import { benchTopicPatterns, roomOf } from '../../../bench/rooms.js';
import { shardFigures } from '../../../bench/shard-cpu.js';
import { sampleMetrics, sampleResult, sampleRun } from './sample-run.js';

describe('rooms of a spread load', () => {
  it('puts connection i on room i mod rooms, and everyone on the topic itself without rooms', () => {
    expect([0, 1, 63, 64].map((i) => roomOf('/topic/bench', i, 63))).toEqual([
      '/topic/bench.r0',
      '/topic/bench.r1',
      '/topic/bench.r0',
      '/topic/bench.r1',
    ]);
    expect(roomOf('/topic/bench', 5, undefined)).toBe('/topic/bench');
    expect(roomOf('/topic/bench', 5, 1)).toBe('/topic/bench');
  });

  it('opens the topic and its rooms to client SENDs', () => {
    expect(benchTopicPatterns('/topic/bench')).toBe('/topic/bench,/topic/bench.**');
  });
});

describe('Redis CPU per shard', () => {
  it('divides each primary’s CPU and the total by the SENDs, and names the busiest', () => {
    const before = [
      { utime: 100, stime: 50 },
      { utime: 10, stime: 0 },
    ];
    // 100 ticks/s: shard 0 used 0.5 s, shard 1 used 0.2 s, over 1,000 SENDs in 10 s.
    const after = [
      { utime: 130, stime: 70 },
      { utime: 25, stime: 5 },
    ];
    const figures = shardFigures([7001, 7002], before, after, 1_000, 10_000, 100);
    expect(figures.totalCpuUs).toBe(700_000);
    expect(figures.cpuUsPerMessage).toBe(700);
    expect(figures.busiestShardCpuUsPerMessage).toBe(500);
    expect(figures.shards).toEqual([
      { port: 7001, cpuPercent: 5, cpuUsPerMessage: 500 },
      { port: 7002, cpuPercent: 2, cpuUsPerMessage: 200 },
    ]);
  });

  it('has no per-message figure without SENDs', () => {
    const ticks = [{ utime: 1, stime: 1 }];
    expect(shardFigures([7001], ticks, ticks, 0, 1_000, 100).cpuUsPerMessage).toBeNull();
  });
});

describe('the report’s Redis Cluster section', () => {
  it('shows Redis CPU per message in total and on the busiest shard, with the spread over rounds', () => {
    const shards = [
      { port: 7001, cpuPercent: 5, cpuUsPerMessage: 50 },
      { port: 7002, cpuPercent: 4, cpuUsPerMessage: 40 },
      { port: 7003, cpuPercent: 6, cpuUsPerMessage: 60 },
    ];
    const result = sampleResult({
      name: 'cluster-shards-3',
      metrics: sampleMetrics({
        sentPerSec: 1_000,
        redisShards: shards,
        redisCpuUsPerMessage: 150,
        redisBusiestShardCpuUsPerMessage: 60,
      }),
      repeats: { redisBusiestShardCpuUsPerMessage: { median: 60, min: 55, max: 70, values: [55, 60, 70] } },
    });
    const markdown = renderMarkdown(sampleRun([sampleResult(), result]));
    expect(markdown).toContain('## Redis Cluster shards');
    expect(markdown).toContain('| cluster-shards-3 | 3 | 1,000 | 150.0 | 60.0 (55.0–70.0) | 5.0 / 4.0 / 6.0 | 15.0 |');
    expect(markdown.match(/\| fanout-100x100 \| \d \|/)).toBeNull();
  });
});
