import { Cluster, Redis } from 'ioredis';
import { startLocalRedisCluster } from '../../bench/local-redis-cluster.js';

/** A 3-primary, 3-replica Redis Cluster of the suite's own, on loopback ports free at run time. */
export interface OwnRedisCluster {
  /** Every node's port, in the order given to `redis-cli --cluster create` (primaries first). */
  readonly ports: readonly number[];
  /** host:port of every node: REDIS_CLUSTER_NODES. */
  readonly nodes: string;
  /** Runs a command on one node (not following redirects). */
  onNode<T>(port: number, work: (node: Redis) => Promise<T>): Promise<T>;
  /** Removes every key under a prefix, on every primary. */
  deleteKeys(prefix: string): Promise<void>;
  /** Stops every node and removes their directory. */
  dispose(): Promise<void>;
}

export async function startOwnRedisCluster(): Promise<OwnRedisCluster> {
  const { ports, nodes, dispose } = await startLocalRedisCluster({
    primaries: 3,
    replicasPerPrimary: 1,
    name: 'own-redis-cluster',
  });
  const onNode = async <T>(port: number, work: (node: Redis) => Promise<T>): Promise<T> => {
    const node = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 1 });
    node.on('error', () => undefined);
    try {
      return await work(node);
    } finally {
      node.disconnect();
    }
  };
  return {
    ports,
    nodes,
    onNode,
    deleteKeys: async (prefix) => {
      const cluster = new Cluster([{ host: '127.0.0.1', port: ports[0]! }]);
      try {
        // nodes() lists nothing until the Cluster has read the slot map.
        await new Promise<void>((resolve, reject) => {
          cluster.once('ready', resolve);
          cluster.once('error', reject);
        });
        await Promise.all(
          cluster.nodes('master').map(async (node) => {
            let cursor = '0';
            do {
              const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1_000);
              // One key per UNLINK: the keys of one scan page sit in different slots.
              await Promise.all(keys.map((key) => node.unlink(key)));
              cursor = next;
            } while (cursor !== '0');
          }),
        );
      } finally {
        cluster.disconnect();
      }
    },
    dispose,
  };
}
