/**
 * The report's Redis Cluster section (issue #17): for the scenarios that ran on a cluster of their
 * own, Redis CPU per message in total and on the busiest shard (medians with the spread over
 * rounds), and each primary's share of a core in the round shown.
 */
import { fmt, table } from './format.js';
import { withSpread } from './report-peers.js';
import type { BenchRun } from './results-types.js';

export function shardSection(run: BenchRun): string[] {
  const rows = run.scenarios.flatMap((result) => {
    const shards = result.metrics?.redisShards;
    if (result.status !== 'ok' || !shards) return [];
    return [
      [
        result.name,
        String(shards.length),
        fmt(result.metrics?.sentPerSec, 0),
        withSpread(result, 'redisCpuUsPerMessage', 1),
        withSpread(result, 'redisBusiestShardCpuUsPerMessage', 1),
        shards.map((shard) => fmt(shard.cpuPercent, 1)).join(' / '),
        withSpread(result, 'cpuUsPerDelivery', 1),
      ],
    ];
  });
  if (rows.length === 0) return [];
  return [
    '## Redis Cluster shards',
    'Each redis-server primary of the scenario’s own cluster, CPU (utime + stime of the process, all threads) from ' +
      '/proc/<pid>/stat over the window ÷ SENDs in the window. Medians with the spread (min–max) over rounds; ' +
      'the per-shard column is the round shown.',
    table(
      [
        'Scenario',
        'Shards',
        'SEND/s',
        'Redis CPU µs/message (all shards)',
        'Busiest shard µs/message',
        'CPU % per shard',
        'Server CPU µs/delivery',
      ],
      rows,
    ),
  ];
}
