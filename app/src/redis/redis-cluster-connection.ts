import { Cluster, type Redis, type RedisOptions } from 'ioredis';
import type { RedisClusterConfig } from '../config/app-config.js';

/** What a connection is for; a cluster connection differs from a single-node one only in these. */
export type ClusterConnectionRole = 'commands' | 'subscriber' | 'blocking';

/**
 * A Redis Cluster connection (ioredis `Cluster`: one socket per node, slots learnt from the seeds,
 * MOVED/ASK followed), typed as the single-node client so every caller keeps one type.
 *
 * The cast is deliberate: `Cluster` offers the same commands, scripts (defineCommand), events,
 * `status` and `isCluster`; what it lacks is the single socket (`stream`), which callers must not
 * touch when `isCluster` is true (see RedisBackplane's write corking).
 *
 * `nodeOptions` are the single-node options (TLS, credentials, timeouts) each node connection gets.
 */
export function createClusterConnection(
  cluster: RedisClusterConfig,
  nodeOptions: RedisOptions,
  role: ClusterConnectionRole,
): Redis {
  const { host: _host, port: _port, retryStrategy, reconnectOnError: _readOnly, ...perNode } = nodeOptions;
  const connection = new Cluster(
    cluster.nodes.map(({ host, port }) => ({ host, port })),
    {
      redisOptions: perNode,
      // Topology changes (failover, resharding) are learnt from MOVED replies and this refresh.
      clusterRetryStrategy: (attempt) => retryStrategy?.(attempt) ?? null,
      // ElastiCache's TLS certificates name the configuration endpoint, not the node addresses
      // CLUSTER SLOTS returns: keep the name the seed was given by (AWS's advice for ioredis).
      ...(perNode.tls === undefined ? {} : { dnsLookup: (address, callback) => callback(null, address) }),
      // The subscriber role carries each destination's channel on the shard that owns its slot.
      shardedSubscribers: role === 'subscriber',
      // Commands wait through a failover (CLUSTERDOWN, TRYAGAIN) for a bounded number of retries.
      retryDelayOnFailover: 100,
      retryDelayOnClusterDown: 100,
      retryDelayOnTryAgain: 100,
      maxRedirections: 16,
      slotsRefreshTimeout: 2_000,
    },
  );
  return connection as unknown as Redis;
}
