import type { Cluster, Redis } from 'ioredis';
import { AppError } from '../errors/app-error.js';
import { clusterSlot } from '../redis/redis-cluster-slots.js';
import { ReplicaAcks } from './replica-acks.js';

/**
 * Receipts that wait for replicas on a Redis Cluster. WAIT counts the replicas that acknowledged
 * the writes of the connection it runs on, so it must run on the connection to the primary that
 * ran the publish script: the one serving the destination's hash tag. ioredis `Cluster` keeps one
 * connection per node and would send a keyless WAIT to any of them, so this picks the node from
 * the cluster's slot table and batches per node, as ReplicaAcks does per tick.
 *
 * If the slot moved between the script and the WAIT (a failover), the WAIT reaches a replica or
 * another primary and fails or confirms nothing; the SEND is then refused and resent with the
 * same x-client-msg-id, which the dedupe record answers without a second message.
 */
export class ClusterReplicaAcks {
  private readonly perNode = new Map<Redis, ReplicaAcks>();

  constructor(
    private readonly cluster: Cluster,
    private readonly replicas: number,
    private readonly timeoutMs: number,
  ) {
    cluster.on('-node', (node: Redis) => this.perNode.delete(node));
  }

  /** Resolves once the primary owning `tag`'s slot has `replicas` replicas holding its writes so far. */
  confirm(tag: string): Promise<void> {
    const node = this.primaryOf(tag);
    if (node === undefined)
      return Promise.reject(new AppError('BACKPLANE_UNAVAILABLE', `no Redis primary known for hash tag {${tag}}`));
    let acks = this.perNode.get(node);
    if (acks === undefined) {
      acks = new ReplicaAcks(node, this.replicas, this.timeoutMs);
      this.perNode.set(node, acks);
    }
    return acks.confirm().catch((error: unknown) => {
      // A primary that became a replica meanwhile answers WAIT with an error reply (not READONLY).
      if (!(error instanceof Error) || error.name !== 'ReplyError') throw error;
      throw new AppError(
        'BACKPLANE_UNREPLICATED',
        `published, but its shard changed primary before ${this.replicas} replicas confirmed it; retry with the same x-client-msg-id`,
      );
    });
  }

  private primaryOf(tag: string): Redis | undefined {
    const nodeKey = this.cluster.slots[clusterSlot(tag)]?.[0];
    if (nodeKey === undefined) return undefined;
    return this.cluster.nodes('master').find((node) => `${node.options.host}:${node.options.port}` === nodeKey);
  }
}
