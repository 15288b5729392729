/**
 * Redis CPU per shard for the scenarios that start their own Redis Cluster: each primary's
 * redis-server process is read from /proc/<pid>/stat (all its threads) around the window, so the
 * figures need no INFO round trip and are comparable between 1 and 3 shards.
 */
import type { LocalRedisCluster } from './local-redis-cluster.js';
import type { RedisShardCpu } from './metrics.js';
import { readCpuTicks } from './proc-reader.js';
import { cpuMicrosBetween, type CpuTicks } from './proc-stat.js';

/** Each primary's CPU ticks now, in slot order. */
export function readShardTicks(cluster: LocalRedisCluster): CpuTicks[] {
  return cluster.primaryPorts.map((port) => readCpuTicks(cluster.pids.get(port)!));
}

export interface ShardFigures {
  readonly shards: RedisShardCpu[];
  /** All primaries together, µs. */
  readonly totalCpuUs: number;
  readonly cpuUsPerMessage: number | null;
  readonly busiestShardCpuUsPerMessage: number | null;
}

/** Per-shard and total Redis CPU between two samples, per SEND of the window. */
export function shardFigures(
  ports: readonly number[],
  before: readonly CpuTicks[],
  after: readonly CpuTicks[],
  sent: number,
  wallMs: number,
  clockTicksPerSecond: number,
): ShardFigures {
  const micros = ports.map((_, i) => cpuMicrosBetween(before[i]!, after[i]!, clockTicksPerSecond));
  const perMessage = (us: number): number | null => (sent > 0 ? us / sent : null);
  const totalCpuUs = micros.reduce((sum, us) => sum + us, 0);
  return {
    shards: ports.map((port, i) => ({
      port,
      cpuPercent: (micros[i]! / (wallMs * 1000)) * 100,
      cpuUsPerMessage: perMessage(micros[i]!),
    })),
    totalCpuUs,
    cpuUsPerMessage: perMessage(totalCpuUs),
    busiestShardCpuUsPerMessage: perMessage(Math.max(...micros)),
  };
}
