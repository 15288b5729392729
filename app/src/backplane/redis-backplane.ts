import { randomBytes } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import type {
  Backplane,
  ControlEvent,
  ControlListener,
  MessageListener,
  OutgoingMessage,
  PublishedMessage,
  PublishOptions,
  RecentMessages,
} from './backplane.port.js';
import { settleResumeChecks } from './resume-checks.js';
import { deliverTo, dispatchControl } from './control-dispatch.js';
import { asBackplaneFailure, redisCall } from './backplane-errors.js';
import { closeConnection } from '../redis/redis-connection.js';
import { RedisKeys } from './redis-keys.js';
import { readReplayLog } from './redis-replay-log.js';
import { decodeFrame, encodeContent, encodeFrame } from './redis-message-codec.js';
import { ReplicaAcks } from './replica-acks.js';
import { ClusterReplicaAcks } from './redis-cluster-replica-acks.js';
import { publishedFrom, SequencedPublish } from './redis-sequenced-publish.js';
import { SequenceGate } from './redis-sequence-gate.js';
import { TickCork } from '../streams/tick-cork.js';
import { publishedMessage } from './published-message.js';

export interface RedisBackplaneOptions {
  /** Command connection (see createCommandConnection); the backplane closes it. */
  readonly commands: Redis;
  /** Pub/Sub connection (see createSubscriberConnection); the backplane closes it. */
  readonly subscriber: Redis;
  readonly keyPrefix: string;
  /** Cluster mode's partition count (RedisClusterConfig.partitions); absent on a single node. */
  readonly partitions?: number;
  /** Approximate length of each destination's replay log. */
  readonly logMaxLength: number;
  /** How long publish, subscribe and ping wait for a connection that is not ready. */
  readonly timeoutMs: number;
  /**
   * Receipts wait for replicas: a publish resolves only once this many replicas acknowledged it
   * (Redis WAIT), within `timeoutMs` (less than the command timeout). Absent: no waiting.
   */
  readonly waitForReplicas?: { readonly replicas: number; readonly timeoutMs: number };
  /** Problems that have no caller to reject: undecodable frames, throwing listeners, lost messages. */
  readonly onError?: (message: string, error?: unknown) => void;
}

/** Messages kept while resume checks run; a burst beyond is read back from the replay log. */
const MAX_HELD_FOR_RESUME = 10_000;

interface Subscribed {
  readonly destination: string;
  readonly gate: SequenceGate;
}

/**
 * The backplane across instances, on Redis: each publish is one Lua script (sequence, replay log,
 * persist hand-off, PUBLISH; see redis-publish-script.ts), subscriptions are one channel per
 * destination on a separate Pub/Sub connection, control events are JSON on one shared channel.
 */
export class RedisBackplane implements Backplane {
  /**
   * A session's next SEND may go once this one's script is written: the order key keeps each
   * session's publishes to a destination in frame order (redis-publish-script.ts). Not in cluster
   * mode, for now: the three-instance cluster test (multi-instance-redis-cluster.test.ts) timed
   * out with it in three full-suite runs, though never alone, not even beside six busy loops; a
   * likely cause is ioredis re-sending redirected or queued commands on its own schedule, so a
   * session's scripts reach the shard out of order and are resent one at a time. Not confirmed;
   * those full runs were also in-band Jest runs, whose GC pauses were later found to time Redis
   * commands out (jest.config.js), so they may have been that instead.
   */
  readonly ordersBeforeDone: boolean;
  private readonly commands: Redis;
  private readonly subscriber: Redis;
  private readonly keys: RedisKeys;
  private readonly subscriptions = new Map<string, Subscribed>();
  private readonly controlListeners: ControlListener[] = [];
  private readonly controlSubscribed: Promise<unknown>;
  private controlReady = false;
  private readonly readyWaits = new Map<Redis, Promise<void>>();
  // Unique per process: ids need no coordination and never repeat across restarts.
  private readonly idPrefix = randomBytes(6).toString('base64url');
  private counter = 0;
  private closed = false;
  // Publishes issued in one tick (several SENDs in one read) go to Redis in one write.
  private readonly commandCork: TickCork;
  private readonly resumeChecks: Array<() => Promise<void>> = [];
  private subscriberWasReady = false;
  // While resume checks run after a reconnect: messages received meanwhile, delivered after.
  private heldForResume: Array<[Buffer, Buffer]> | undefined;
  private resumed: Promise<void> = Promise.resolve();
  /** Waits for replicas after a destination's publish (absent: receipts do not wait). */
  private readonly confirmReplicas: ((destination: string) => Promise<void>) | undefined;
  private readonly sequenced: SequencedPublish;

  constructor(private readonly options: RedisBackplaneOptions) {
    this.commands = options.commands;
    this.subscriber = options.subscriber;
    this.commandCork = new TickCork(() => this.commands.stream);
    this.keys = new RedisKeys(options.keyPrefix, options.partitions);
    this.ordersBeforeDone = !this.keys.clustered;
    this.sequenced = new SequencedPublish({
      commands: this.commands,
      keys: this.keys,
      logMaxLength: options.logMaxLength,
      transport: 'redis',
      newestDelivered: (destination) => this.subscriptions.get(this.keys.channel(destination))?.gate.lastSeq ?? 0,
      beforeCommand: () => this.readyAndCorked(),
    });
    const replicas = options.waitForReplicas;
    if (replicas !== undefined && replicas.replicas > 0)
      this.confirmReplicas = this.replicaConfirmation(replicas.replicas, replicas.timeoutMs);
    this.subscriber.on('messageBuffer', (channel: Buffer, payload: Buffer) => this.onChannelMessage(channel, payload));
    // Cluster mode: destinations' channels are sharded (SSUBSCRIBE); the control channel is not.
    this.subscriber.on('smessageBuffer', (channel: Buffer, payload: Buffer) => this.onChannelMessage(channel, payload));
    this.subscriber.on('ready', () => this.onSubscriberReady());
    // Cluster mode: ioredis replaces a shard's sharded-subscriber connection that dropped (or whose
    // shard failed over) and re-sends its SSUBSCRIBEs, with no 'ready' on the Cluster itself.
    if (this.keys.clustered) this.subscriber.on('subscribersReady', () => this.onShardSubscribersReady());
    // ioredis emits 'error' on every failed reconnect attempt; without a listener Node would throw.
    const reportConnection = (role: string) => (error: Error) =>
      this.report(`redis ${role} connection: ${error.message}`);
    this.commands.on('error', reportConnection('command'));
    this.subscriber.on('error', reportConnection('subscriber'));
    // Made once and kept by ioredis across reconnects. The subscriber connection queues it while
    // Redis is down, so it happens as soon as Redis is reachable.
    this.controlSubscribed = this.subscriber.subscribe(this.keys.controlChannel).then(() => {
      this.controlReady = true;
    });
    this.controlSubscribed.catch((error: unknown) => this.report('control channel subscription failed', error));
  }

  async publish(message: OutgoingMessage, options: PublishOptions = {}): Promise<PublishedMessage> {
    this.assertOpen();
    const id = `${this.idPrefix}-${(++this.counter).toString(36)}`;
    const content = encodeContent(id, message);
    if (message.ephemeral === true) {
      // No script: nothing to sequence or keep, so a plain PUBLISH stamped with this instance's clock.
      const publishedAt = Date.now();
      await redisCall('publish', async () => {
        await this.whenReady(this.commands, 'publish');
        const channel = this.keys.channel(message.destination);
        const frame = encodeFrame(0, publishedAt, content);
        await (this.keys.clustered ? this.commands.spublish(channel, frame) : this.commands.publish(channel, frame));
      });
      return publishedMessage(message, id, 0, publishedAt);
    }
    const { onOrdered, orderGroup } = options;
    const inOrder =
      onOrdered !== undefined && orderGroup !== undefined ? { group: orderGroup, onWritten: onOrdered } : undefined;
    const sequenced = await this.sequenced.publish(message, content, id, options, inOrder);
    if (this.confirmReplicas !== undefined)
      await redisCall('publish', () => this.confirmReplicas!(message.destination));
    return publishedFrom(message, sequenced);
  }

  async raiseSequence(destination: string, atLeast: number): Promise<void> {
    this.assertOpen();
    await this.sequenced.raise(destination, atLeast);
  }

  async subscribe(destination: string, listener: MessageListener): Promise<void> {
    this.assertOpen();
    const channel = this.keys.channel(destination);
    const gate = new SequenceGate({
      deliver: (message) => this.deliver(listener, message),
      readAfter: (afterSeq, limit) => this.readRecent(destination, afterSeq, limit),
      onLoss: (from, to, cause) => this.report(`${destination}: messages ${from}..${to} lost on this instance`, cause),
    });
    const subscribed: Subscribed = { destination, gate };
    this.subscriptions.set(channel, subscribed);
    try {
      await this.bounded(this.subscribeChannel(channel), `subscribe ${destination}: no reply from redis`);
    } catch (error) {
      if (this.subscriptions.get(channel) === subscribed) {
        this.subscriptions.delete(channel);
        // The SUBSCRIBE may still be queued: an UNSUBSCRIBE behind it undoes it.
        this.unsubscribeChannel(channel).catch(() => {});
      }
      throw asBackplaneFailure(error, 'subscribe');
    }
  }

  async unsubscribe(destination: string): Promise<void> {
    const channel = this.keys.channel(destination);
    this.subscriptions.delete(channel);
    if (this.closed) return;
    await this.bounded(this.unsubscribeChannel(channel), `unsubscribe ${destination}: no reply from redis`);
  }

  private subscribeChannel(channel: string): Promise<unknown> {
    return this.keys.clustered ? this.subscriber.ssubscribe(channel) : this.subscriber.subscribe(channel);
  }

  private unsubscribeChannel(channel: string): Promise<unknown> {
    return this.keys.clustered ? this.subscriber.sunsubscribe(channel) : this.subscriber.unsubscribe(channel);
  }

  async readRecent(destination: string, afterSeq: number, limit: number): Promise<RecentMessages> {
    this.assertOpen();
    return redisCall('readRecent', () => this.readLog(destination, afterSeq, limit));
  }

  private async readLog(destination: string, afterSeq: number, limit: number): Promise<RecentMessages> {
    await this.whenReady(this.commands, 'readRecent');
    return readReplayLog(this.commands, this.keys, destination, afterSeq, limit);
  }

  async publishControl(event: ControlEvent): Promise<void> {
    this.assertOpen();
    // The sender gets its own event only once its control subscription exists.
    if (!this.controlReady)
      await this.bounded(this.controlSubscribed, 'publishControl: control channel not subscribed yet');
    await this.whenReady(this.commands, 'publishControl');
    await this.commands.publish(this.keys.controlChannel, JSON.stringify(event));
  }

  onControl(listener: ControlListener): void {
    this.controlListeners.push(listener);
  }

  beforeResume(check: () => Promise<void>): void {
    this.resumeChecks.push(check);
  }

  async ping(): Promise<void> {
    this.assertOpen();
    // Without its Pub/Sub connection this instance can publish but would deliver nothing.
    await Promise.all([this.whenReady(this.subscriber, 'ping (subscriber)'), this.whenReady(this.commands, 'ping')]);
    await this.commands.ping();
    // Not ready until control events reach it: a fresh instance that missed a revocation would
    // keep serving a revoked session.
    await this.whenControlReady();
  }

  /** Resolves once this instance receives control events (its control channel is subscribed). */
  async whenControlReady(): Promise<void> {
    if (!this.controlReady) await this.bounded(this.controlSubscribed, 'control channel not subscribed yet');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.subscriptions.clear();
    await Promise.all([closeConnection(this.commands), closeConnection(this.subscriber)]);
  }

  private onChannelMessage(channel: Buffer, payload: Buffer): void {
    const name = channel.toString();
    if (name === this.keys.controlChannel) {
      this.onControlMessage(payload);
      return;
    }
    if (this.heldForResume !== undefined) {
      // Bounded: past it, drop; the gates' catch-up after the checks reads the rest from the log.
      if (this.heldForResume.length < MAX_HELD_FOR_RESUME) this.heldForResume.push([channel, payload]);
      return;
    }
    const subscribed = this.subscriptions.get(name);
    if (subscribed === undefined) return; // unsubscribed while the message was on its way
    let message: PublishedMessage;
    try {
      message = decodeFrame(payload);
    } catch (error) {
      this.report(`undecodable message on ${name}`, error);
      return;
    }
    subscribed.gate.accept(message);
  }

  private onControlMessage(payload: Buffer): void {
    dispatchControl(payload, this.controlListeners, (message, error) => this.report(message, error));
  }

  /** After a reconnect, ioredis has re-sent the SUBSCRIBEs; once they are through, fill the gap. */
  private onSubscriberReady(): void {
    const reconnected = this.subscriberWasReady;
    this.subscriberWasReady = true;
    // 'ready' is emitted before ioredis re-sends the SUBSCRIBEs, so nothing has arrived yet.
    if (reconnected && this.resumeChecks.length > 0) this.holdUntilChecked();
    if (this.closed || this.subscriptions.size === 0) return;
    // PING is allowed in subscriber mode and is answered after the SUBSCRIBEs sent before it.
    Promise.all([this.subscriber.ping(), this.resumed]).then(
      () => {
        for (const { gate } of this.subscriptions.values()) gate.catchUp();
      },
      (error: unknown) => this.report('subscriber ping after reconnect failed', error),
    );
  }

  /**
   * Cluster mode: a shard's subscriber connection was replaced, so messages published on that
   * shard meanwhile reached no one here. Once the channels are subscribed again, each destination
   * reads its gap from the replay log, as after a single node's reconnect. ioredis re-sends the
   * SSUBSCRIBEs without a reply to wait for, so they are sent once more and awaited: on the same
   * shard connection, so answered after ioredis's own (re-subscribing changes nothing on Redis;
   * ioredis lists the channel once more for its next re-subscription, which is harmless).
   * Control events need no resume checks here: their channel is on the Cluster's own connection.
   */
  private onShardSubscribersReady(): void {
    if (this.closed || this.subscriptions.size === 0) return;
    const channels = [...this.subscriptions.keys()];
    Promise.all(channels.map((channel) => this.subscriber.ssubscribe(channel))).then(
      () => {
        for (const { gate } of this.subscriptions.values()) gate.catchUp();
      },
      (error: unknown) => this.report('re-subscribing after a shard reconnect failed', error),
    );
  }

  private holdUntilChecked(): void {
    const held: Array<[Buffer, Buffer]> = [];
    this.heldForResume = held;
    const checks = settleResumeChecks(this.resumeChecks, (error) => this.report('resume check failed', error));
    this.resumed = checks.then(() => {
      if (this.heldForResume === held) this.heldForResume = undefined;
      for (const [channel, payload] of held) this.onChannelMessage(channel, payload);
    });
  }

  /** Waits for a ready command connection, then holds this tick's writes for one writev. */
  private readyAndCorked(): Promise<void> | undefined {
    const ready = this.whenReady(this.commands, 'publish');
    if (ready === undefined) {
      this.cork(); // the hot path: no extra await before the script is written
      return undefined;
    }
    return ready.then(() => this.cork());
  }

  /** One WAIT per tick on the single node; on a cluster, on the primary owning the destination's slot. */
  private replicaConfirmation(replicas: number, timeoutMs: number): (destination: string) => Promise<void> {
    if (!this.keys.clustered) {
      const acks = new ReplicaAcks(this.commands, replicas, timeoutMs);
      return () => acks.confirm();
    }
    const acks = new ClusterReplicaAcks(this.commands as unknown as Cluster, replicas, timeoutMs);
    return (destination) => acks.confirm(this.keys.clusterTag(destination));
  }

  /** A Cluster has one socket per node and no `stream` to cork: its writes go as issued. */
  private cork(): void {
    if (!this.commands.isCluster) this.commandCork.hold();
  }

  private deliver(listener: MessageListener, message: PublishedMessage): void {
    deliverTo(listener, message, (text, error) => this.report(text, error));
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('backplane is closed');
  }

  /**
   * Commands are sent only on a ready connection, waiting up to the timeout for it. Queuing them
   * in ioredis's offline queue instead would let a publish that already failed for its caller run
   * later, when Redis comes back.
   */
  private whenReady(connection: Redis, what: string): Promise<void> | undefined {
    if (connection.status === 'ready') return undefined;
    if (connection.status === 'end') return Promise.reject(new Error(`${what}: redis connection is closed`));
    let ready = this.readyWaits.get(connection);
    if (ready === undefined) {
      // One listener per connection however many callers wait (a burst of sends during an outage).
      ready = new Promise<void>((resolve) => connection.once('ready', () => resolve()));
      this.readyWaits.set(connection, ready);
      void ready.then(() => this.readyWaits.delete(connection));
    }
    return this.bounded(ready, `${what}: redis unavailable (connection ${connection.status})`);
  }

  private bounded<T>(work: Promise<T>, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${what}, gave up after ${this.options.timeoutMs} ms`)),
        this.options.timeoutMs,
      );
    });
    return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
  }

  private report(message: string, error?: unknown): void {
    this.options.onError?.(message, error);
  }
}
