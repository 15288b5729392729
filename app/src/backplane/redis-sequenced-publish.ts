import type { Redis } from 'ioredis';
import type { OutgoingMessage, PublishedMessage, PublishOptions } from './backplane.port.js';
import { redisCall } from './backplane-errors.js';
import { publishedMessage } from './published-message.js';
import type { RedisKeys } from './redis-keys.js';
import {
  COUNTER_MISSING,
  definePublishCommand,
  DUPLICATE,
  type PublishCommand,
  type PublishReply,
  type PublishTransport,
} from './redis-publish-script.js';
import { defineSequenceFloorCommand, type SequenceFloorCommand } from './redis-sequence-floor-script.js';

/** Destinations whose newest published sequence this instance remembers (for the floor after a loss). */
const MAX_REMEMBERED_DESTINATIONS = 100_000;

/** What the publish script decided for one message. */
export interface Sequenced {
  readonly seq: number;
  readonly publishedAt: number;
  /** The message's id: the one passed in, or the original's when `duplicate`. */
  readonly id: string;
  readonly duplicate: boolean;
}

export interface SequencedPublishOptions {
  /** Command connection; the owner closes it. */
  readonly commands: Redis;
  readonly keys: RedisKeys;
  /** Approximate length of each destination's replay log. */
  readonly logMaxLength: number;
  readonly transport: PublishTransport;
  /** The newest sequence of a destination this instance delivered to its subscription (0 if none). */
  readonly newestDelivered: (destination: string) => number;
  /** Runs right before each script is written: waits for a ready connection, corks a tick's writes. */
  readonly beforeCommand?: () => Promise<void> | undefined;
}

/**
 * A message's sequence, replay-log entry, persist hand-off and dedupe record, as one run of the
 * publish script (redis-publish-script.ts), shared by both backplanes: the Redis one (which also
 * fans out in that run) and the RabbitMQ one (which carries the frame afterwards).
 *
 * When the script finds no counter (a destination's first message, or Redis lost its data) it
 * raises the counter above everything known of the destination before any number is handed out:
 * the caller's floor (the message store), the replay log, and what this instance itself saw
 * (docs/guarantees.md). The counter is not cached here, so a loss in mid-life is handled like one
 * at start.
 */
export class SequencedPublish {
  readonly commands: Redis & PublishCommand & SequenceFloorCommand;
  /** The newest sequence each destination's publishes from this instance got. */
  private readonly newestPublished = new Map<string, number>();

  constructor(private readonly options: SequencedPublishOptions) {
    this.commands = defineSequenceFloorCommand(definePublishCommand(options.commands));
  }

  async publish(message: OutgoingMessage, content: Buffer, id: string, options: PublishOptions): Promise<Sequenced> {
    const { destination } = message;
    let reply = await this.run(destination, content, id, options, '1');
    if (reply[2] === COUNTER_MISSING) {
      const floor = Math.max((await options.sequenceFloor?.()) ?? 0, this.newestSeen(destination));
      await this.raise(destination, floor);
      reply = await this.run(destination, content, id, options, '0');
    }
    const [seq, publishedAt, status, originalId] = reply;
    if (status === DUPLICATE) return { seq, publishedAt, id: originalId, duplicate: true };
    this.remember(destination, seq);
    return { seq, publishedAt, id, duplicate: false };
  }

  /** Makes the destination's next sequence greater than `atLeast` and than its replay log's newest entry. */
  raise(destination: string, atLeast: number): Promise<void> {
    return redisCall('raiseSequence', async () => {
      await this.ready();
      const { keys } = this.options;
      await this.commands.chatRaiseSequence(keys.sequence(destination), keys.log(destination), Math.floor(atLeast));
    });
  }

  /** One script run; Redis failures become BACKPLANE_UNAVAILABLE (the floor's own errors pass as they are). */
  private run(
    destination: string,
    content: Buffer,
    id: string,
    options: PublishOptions,
    requireCounter: '0' | '1',
  ): Promise<PublishReply> {
    return redisCall('publish', async () => {
      const ready = this.ready();
      if (ready !== undefined) await ready; // no await when the connection is ready: the hot path
      const { keys, transport } = this.options;
      const dedupe = options.dedupe;
      return this.commands.chatPublish(
        keys.sequence(destination),
        keys.log(destination),
        transport === 'broker' ? keys.brokerPersistBacklog : keys.persistStreamOf(destination),
        // Any key of the destination's hash tag stands in when there is no dedupe record.
        dedupe === undefined ? keys.sequence(destination) : keys.dedupe(destination, dedupe.key),
        content,
        keys.channel(destination),
        this.options.logMaxLength,
        requireCounter,
        dedupe === undefined ? 0 : Math.max(1, Math.floor(dedupe.ttlMs)),
        id,
        transport,
        keys.clustered ? '1' : '0',
        Math.max(0, Math.floor(options.retentionMs ?? 0)),
      );
    });
  }

  private ready(): Promise<void> | undefined {
    return this.options.beforeCommand?.();
  }

  private newestSeen(destination: string): number {
    return Math.max(this.options.newestDelivered(destination), this.newestPublished.get(destination) ?? 0);
  }

  private remember(destination: string, seq: number): void {
    const known = this.newestPublished.get(destination);
    if (known !== undefined && known >= seq) return;
    this.newestPublished.delete(destination); // re-inserted last: the map evicts the least recently published
    this.newestPublished.set(destination, seq);
    if (this.newestPublished.size > MAX_REMEMBERED_DESTINATIONS)
      this.newestPublished.delete(this.newestPublished.keys().next().value!);
  }
}

/** The published message as the backplane port returns it. */
export function publishedFrom(message: OutgoingMessage, sequenced: Sequenced): PublishedMessage {
  const { id, seq, publishedAt } = sequenced;
  return publishedMessage(message, id, seq, publishedAt, sequenced.duplicate ? true : undefined);
}
