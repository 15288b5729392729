import type { Redis } from 'ioredis';
import type { OutgoingMessage, PublishedMessage, PublishOptions } from './backplane.port.js';
import { redisCall } from './backplane-errors.js';
import { publishedMessage } from './published-message.js';
import type { RedisKeys } from './redis-keys.js';
import {
  COUNTER_MISSING,
  DUPLICATE,
  PREDECESSOR_NOT_RUN,
  publishScriptRunner,
  type PublishReply,
  type PublishScriptRunner,
  type PublishTransport,
} from './redis-publish-script.js';
import { defineSequenceFloorCommand, type SequenceFloorCommand } from './redis-sequence-floor-script.js';

/** Destinations whose newest published sequence this instance remembers (for the floor after a loss). */
const MAX_REMEMBERED_DESTINATIONS = 100_000;

/**
 * How long Redis keeps a sender's newest message id (the order key). Only a publish written while
 * its predecessor was in flight reads it, microseconds later on the same connection; one that
 * comes later (a reconnect in between) and finds it gone is resent, so this bounds memory, not
 * correctness.
 */
const ORDER_KEY_TTL_MS = 60_000;

/** The caller keeps this publish in order with its other publishes of `group` to the destination. */
export interface InOrder {
  /** Who sends (a STOMP session id): publishes of one group to one destination keep their order. */
  readonly group: string;
  /**
   * Called once the script is written, when the group's next publish may be written before this
   * one is answered (not for a destination's first publish from this instance: see below).
   */
  readonly onWritten: () => void;
}

/** One sender's publishes to one destination, while any of them is in flight. */
interface InFlightGroup {
  count: number;
  /** The newest written publish's id: the next one's predecessor. */
  newestId: string;
  /** Resolves once every publish written so far has settled. */
  settled: Promise<unknown>;
  /**
   * Set when a publish came back without having run (counter missing, predecessor not run):
   * everything written after it stops at the order key too, so a new one waits until every
   * earlier one settled and goes without a predecessor; otherwise a busy sender would be resent
   * one round trip at a time for as long as it keeps sending.
   */
  stalled: boolean;
  /** The first failure: no later publish of the group is carried out. */
  failure?: unknown;
}

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
  readonly commands: Redis & SequenceFloorCommand;
  private readonly runPublishScript: PublishScriptRunner;
  /** The newest sequence each destination's publishes from this instance got. */
  private readonly newestPublished = new Map<string, number>();
  /** By order key: senders with publishes in flight (publishInOrder). */
  private readonly inFlight = new Map<string, InFlightGroup>();

  constructor(private readonly options: SequencedPublishOptions) {
    this.commands = defineSequenceFloorCommand(options.commands);
    this.runPublishScript = publishScriptRunner(options.commands);
  }

  /**
   * Sequences one message. With `inOrder`, the script is written at once and `onWritten` lets the
   * caller write the sender's next one while this one is in flight; the order key keeps them in
   * the order written (see PUBLISH_SCRIPT), and one that stopped there is resent here once every
   * earlier one of its sender has settled, or fails with the first failure among them.
   */
  publish(
    message: OutgoingMessage,
    content: Buffer,
    id: string,
    options: PublishOptions,
    inOrder?: InOrder,
  ): Promise<Sequenced> {
    if (inOrder === undefined) return this.publishAlone(message.destination, content, id, options);
    return this.publishInOrder(message.destination, content, id, options, inOrder);
  }

  private async publishAlone(
    destination: string,
    content: Buffer,
    id: string,
    options: PublishOptions,
    order?: Order,
  ): Promise<Sequenced> {
    const reply = await this.run(destination, content, id, options, '1', order);
    return this.settle(destination, content, id, options, reply, order);
  }

  private async publishInOrder(
    destination: string,
    content: Buffer,
    id: string,
    options: PublishOptions,
    inOrder: InOrder,
  ): Promise<Sequenced> {
    const key = this.options.keys.order(destination, inOrder.group);
    let group = this.inFlight.get(key);
    if (group === undefined) {
      group = { count: 0, newestId: '', settled: Promise.resolve(), stalled: false };
      this.inFlight.set(key, group);
    }
    const earlier = group.settled;
    const predecessorId = group.count > 0 ? group.newestId : '';
    group.count++;
    group.newestId = id;
    const done = this.carryOutInOrder(
      destination,
      content,
      id,
      options,
      { key, predecessorId },
      inOrder,
      group,
      earlier,
    );
    group.settled = Promise.all([earlier, done.catch(() => undefined)]);
    const forget = () => {
      if (--group.count === 0 && this.inFlight.get(key) === group) this.inFlight.delete(key);
    };
    done.then(forget, forget);
    return done;
  }

  private async carryOutInOrder(
    destination: string,
    content: Buffer,
    id: string,
    options: PublishOptions,
    order: Order,
    inOrder: InOrder,
    group: InFlightGroup,
    earlier: Promise<unknown>,
  ): Promise<Sequenced> {
    try {
      let written = order;
      if (group.stalled) {
        await earlier;
        if (group.failure !== undefined) throw group.failure;
        group.stalled = false;
        written = withoutPredecessor(order);
      }
      // A destination this instance never published to most likely has no counter yet: its first
      // publish is answered before the sender's next one goes, or a whole burst would stop behind
      // it at the order key and be resent one round trip at a time.
      const onWritten = this.newestPublished.has(destination) ? inOrder.onWritten : undefined;
      const reply = await this.run(destination, content, id, options, '1', written, onWritten);
      if (reply[2] === PREDECESSOR_NOT_RUN || reply[2] === COUNTER_MISSING) group.stalled = true;
      if (reply[2] !== PREDECESSOR_NOT_RUN) return await this.settle(destination, content, id, options, reply, written);
      // An earlier publish of this sender did not run (yet): resend once all of them settled.
      await earlier;
      if (group.failure !== undefined) throw group.failure;
      return await this.publishAlone(destination, content, id, options, withoutPredecessor(order));
    } catch (error) {
      // Set before this publish settles, so every later one of the group sees it once it waited.
      group.failure ??= error;
      throw error;
    }
  }

  /** Applies one script reply: raises a missing counter and resends, or returns what was decided. */
  private async settle(
    destination: string,
    content: Buffer,
    id: string,
    options: PublishOptions,
    first: PublishReply,
    order: Order | undefined,
  ): Promise<Sequenced> {
    let reply = first;
    if (reply[2] === COUNTER_MISSING) {
      const floor = Math.max((await options.sequenceFloor?.()) ?? 0, this.newestSeen(destination));
      await this.raise(destination, floor);
      // Everything of this sender written after it stopped at the order key: no predecessor check.
      reply = await this.run(destination, content, id, options, '0', order && withoutPredecessor(order));
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
    order?: Order,
    onWritten?: () => void,
  ): Promise<PublishReply> {
    const ready = this.ready();
    // No await when the connection is ready: the hot path.
    return redisCall('publish', () =>
      ready === undefined
        ? this.write(destination, content, id, options, requireCounter, order, onWritten)
        : ready.then(() => this.write(destination, content, id, options, requireCounter, order, onWritten)),
    );
  }

  /** Writes one script run (see run). */
  private write(
    destination: string,
    content: Buffer,
    id: string,
    options: PublishOptions,
    requireCounter: '0' | '1',
    order: Order | undefined,
    onWritten: (() => void) | undefined,
  ): Promise<PublishReply> {
    const { keys, transport } = this.options;
    const dedupe = options.dedupe;
    const sequenceKey = keys.sequence(destination);
    const reply = this.runPublishScript([
      sequenceKey,
      keys.log(destination),
      transport === 'broker' ? keys.brokerPersistBacklog : keys.persistStreamOf(destination),
      // Any key of the destination's hash tag stands in when there is no dedupe record.
      dedupe === undefined ? sequenceKey : keys.dedupe(destination, dedupe.key),
      order?.key ?? sequenceKey,
      content,
      keys.channel(destination),
      this.options.logMaxLength,
      requireCounter,
      dedupe === undefined ? 0 : Math.max(1, Math.floor(dedupe.ttlMs)),
      id,
      transport,
      keys.clustered ? '1' : '0',
      Math.max(0, Math.floor(options.retentionMs ?? 0)),
      order?.predecessorId ?? '',
      order === undefined ? 0 : ORDER_KEY_TTL_MS,
    ]);
    onWritten?.();
    return reply;
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

/** A publish kept in its sender's order: the order key, and the predecessor it must follow ('' for none). */
interface Order {
  readonly key: string;
  readonly predecessorId: string;
}

/** The same order key, run without the predecessor check: every earlier publish of the sender is settled. */
function withoutPredecessor(order: Order): Order {
  return { key: order.key, predecessorId: '' };
}

/** The published message as the backplane port returns it. */
export function publishedFrom(message: OutgoingMessage, sequenced: Sequenced): PublishedMessage {
  const { id, seq, publishedAt } = sequenced;
  return publishedMessage(message, id, seq, publishedAt, sequenced.duplicate ? true : undefined);
}
