/**
 * Every Redis key and channel name the backplane and the persist queue use, in one place.
 *
 * All names of one destination share the hash tag `{d:<destination>}`, so they live in one
 * slot: the publish script may touch them together, and sharded Pub/Sub (SPUBLISH) stays open.
 * A destination containing `}` only shortens the tag; every name of that destination still
 * carries the same tag, because it is always the same text right after the prefix.
 */
export class RedisKeys {
  readonly controlChannel: string;
  /**
   * The one global persist stream. With cluster mode off (our ElastiCache design) the publish
   * script may write it together with a destination's keys. Cluster mode would need this stream
   * sharded by hash tag (one per slot group, read by the persister from each): the documented
   * next step.
   */
  readonly persistStream: string;
  /**
   * With BACKPLANE=rabbitmq the persist hand-off is a RabbitMQ queue, whose own count leaves out
   * messages delivered but not yet acknowledged: this counter (raised by the sequencing script,
   * lowered by acknowledgements) is the backlog instead.
   */
  readonly brokerPersistBacklog: string;

  constructor(readonly prefix: string) {
    this.controlChannel = `${prefix}control`;
    this.persistStream = `${prefix}{persist}:stream`;
    this.brokerPersistBacklog = `${prefix}{persist}:broker-backlog`;
  }

  /** INCR counter: the destination's last sequence. */
  sequence(destination: string): string {
    return `${this.prefix}{d:${destination}}:seq`;
  }

  /** Capped stream of recent messages, entry id `<seq>-0`. */
  log(destination: string): string {
    return `${this.prefix}{d:${destination}}:log`;
  }

  /** A publish's dedupe record (see PublishOptions.dedupe): `<seq> <publishedAt> <id>` of the original. */
  dedupe(destination: string, key: string): string {
    return `${this.prefix}{d:${destination}}:dedupe:${key}`;
  }

  /** Pub/Sub channel the destination's messages are fanned out on. */
  channel(destination: string): string {
    return `${this.prefix}{d:${destination}}`;
  }
}
