/**
 * Every Redis key and channel name the backplane and the persist queue use, in one place.
 *
 * Single node (cluster mode off): all names of one destination share the hash tag
 * `{d:<destination>}`. A destination containing `}` only shortens the tag; every name of that
 * destination still carries the same tag, because it is always the same text right after the
 * prefix. The persist stream is one, `{persist}:stream`.
 *
 * Cluster mode (`partitions` given; docs/adr/0004-redis-cluster.md): destinations are hashed into
 * `partitions` partitions, and every name of a destination carries its partition's tag,
 * `<prefix>{<tag>}:d:<destination>:seq|log|dedupe:<key>|order:<group>`, as does that partition's persist
 * stream `<prefix>{<tag>}:persist`; the tags (`p<k>.<n>`, redis-cluster-slots.ts) spread the
 * partitions evenly over the slot space. So everything one publish script touches is in one slot, and
 * the destination's sharded channel is in that slot too.
 */
import { balancedPartitionTags, partitionOf } from '../redis/redis-cluster-slots.js';

export class RedisKeys {
  readonly controlChannel: string;
  /**
   * The one global persist stream of the single-node layout, which the publish script writes
   * together with a destination's keys (allowed: one node). Cluster mode uses one per partition
   * (persistStreamOf).
   */
  readonly persistStream: string;
  /**
   * With BACKPLANE=rabbitmq the persist hand-off is a RabbitMQ queue, whose own count leaves out
   * messages delivered but not yet acknowledged: this counter (raised by the sequencing script,
   * lowered by acknowledgements) is the backlog instead.
   */
  readonly brokerPersistBacklog: string;
  /**
   * Cluster mode: the partition count the cluster's keys were written with, recorded by the first
   * instance to start (redis-layout-check.ts), so a changed REDIS_CLUSTER_PARTITIONS is refused.
   */
  readonly partitionCount: string;

  /**
   * @param partitions cluster mode's partition count; absent: the single-node layout (unchanged
   *   since before cluster mode, so existing deployments keep their logs and counters).
   */
  constructor(
    readonly prefix: string,
    readonly partitions?: number,
  ) {
    this.controlChannel = `${prefix}control`;
    this.persistStream = `${prefix}{persist}:stream`;
    this.brokerPersistBacklog = `${prefix}{persist}:broker-backlog`;
    this.partitionCount = `${prefix}{meta}:cluster-partitions`;
    this.partitionTags = partitions === undefined ? [] : balancedPartitionTags(partitions);
  }

  /** Cluster mode: each partition's hash tag (without braces), by partition. */
  readonly partitionTags: readonly string[];

  /** Whether names follow the cluster layout (sharded channels, partitioned persist streams). */
  get clustered(): boolean {
    return this.partitions !== undefined;
  }

  /** INCR counter: the destination's last sequence. */
  sequence(destination: string): string {
    return `${this.scope(destination)}:seq`;
  }

  /** Capped stream of recent messages, entry id `<seq>-0`. */
  log(destination: string): string {
    return `${this.scope(destination)}:log`;
  }

  /** A publish's dedupe record (see PublishOptions.dedupe): `<seq> <publishedAt> <id>` of the original. */
  dedupe(destination: string, key: string): string {
    return `${this.scope(destination)}:dedupe:${key}`;
  }

  /**
   * The id of the newest message one sender (an order group: a STOMP session) published to the
   * destination, while it keeps several publishes in flight (redis-sequenced-publish.ts).
   */
  order(destination: string, group: string): string {
    return `${this.scope(destination)}:order:${group}`;
  }

  /** Pub/Sub channel the destination's messages are fanned out on (sharded Pub/Sub in cluster mode). */
  channel(destination: string): string {
    return this.scope(destination);
  }

  /** The persist stream a destination's messages are handed off on. */
  persistStreamOf(destination: string): string {
    return this.partitions === undefined ? this.persistStream : this.partitionStream(this.partitionOf(destination));
  }

  /** Every persist stream, in partition order (one on a single node). */
  persistStreams(): string[] {
    if (this.partitions === undefined) return [this.persistStream];
    return Array.from({ length: this.partitions }, (_, partition) => this.partitionStream(partition));
  }

  /** The destination's partition: FNV-1a of its UTF-8 bytes, so every instance and version agrees. */
  partitionOf(destination: string): number {
    return partitionOf(destination, this.partitions ?? 1);
  }

  /** Cluster mode: the hash tag (without braces) of every name of the destination. */
  clusterTag(destination: string): string {
    return this.partitionTags[this.partitionOf(destination)]!;
  }

  private partitionStream(partition: number): string {
    return `${this.prefix}{${this.partitionTags[partition]!}}:persist`;
  }

  /** The common start of a destination's names, hash tag included. */
  private scope(destination: string): string {
    if (this.partitions === undefined) return `${this.prefix}{d:${destination}}`;
    return `${this.prefix}{${this.clusterTag(destination)}}:d:${destination}`;
  }
}
