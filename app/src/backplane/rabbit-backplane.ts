import { randomBytes } from 'node:crypto';
import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import type { RabbitConfig } from '../config/app-config.js';
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
import { redisCall } from './backplane-errors.js';
import { settleResumeChecks } from './resume-checks.js';
import { brokerUnavailable, RabbitLink } from './rabbit-link.js';
import { RabbitNames } from './rabbit-names.js';
import { deliverTo, dispatchControl } from './control-dispatch.js';
import { closeConnection } from '../redis/redis-connection.js';
import { decodeFrame, encodeContent, encodeFrame } from './redis-message-codec.js';
import { SequenceGate } from './redis-sequence-gate.js';
import type { RedisSequencer } from './redis-sequencer.js';
import { publishedFrom, type SequencedPublish } from './redis-sequenced-publish.js';

/** How long a hole in one destination's deliveries waits for reordered publishes before the log is read. */
export const REORDER_WAIT_MS = 50;

/** How old an original may be and still be carried again for a retry (the dedupe window is longer). */
export const CARRY_AGAIN_WITHIN_MS = 120_000;

export interface RabbitBackplaneOptions {
  readonly rabbit: RabbitConfig;
  /** Sequences, replay log and dedupe records (Redis); the backplane closes its connection. */
  readonly sequencer: RedisSequencer;
  /** How long readRecent, … and waits for a connection may take. */
  readonly timeoutMs: number;
  readonly onError?: (message: string, error?: unknown) => void;
}

interface Subscribed {
  readonly destination: string;
  readonly gate: SequenceGate;
}

/**
 * The backplane with RabbitMQ as its transport (docs/adr/0003-rabbitmq-sequencing.md).
 *
 * A publish takes its sequence from Redis (the same atomic INCR + replay-log append as the Redis
 * backplane), then goes to RabbitMQ once: the topic exchange routes it to the durable quorum
 * persist queue and to every instance serving its destination. The publish resolves on the
 * publisher confirm, i.e. once the persist queue holds it on a majority of nodes: a RECEIPT
 * means durable in RabbitMQ. Instances receive through their own exclusive queue; publishes of
 * different instances may arrive out of sequence order, so each destination's SequenceGate holds
 * them back and, if a hole stays open, fills it from the replay log.
 */
export class RabbitBackplane implements Backplane {
  /** Sequenced before the publisher confirm comes: a session may send on meanwhile. */
  readonly ordersBeforeDone = true;
  private readonly names: RabbitNames;
  private readonly link: RabbitLink;
  private readonly sequencer: RedisSequencer;
  private readonly sequenced: SequencedPublish;
  private readonly instanceQueue: string;
  private readonly subscriptions = new Map<string, Subscribed>();
  private readonly controlListeners: ControlListener[] = [];
  private consumer: Channel | undefined;
  private controlReady = false;
  private readonly resumeChecks: Array<() => Promise<void>> = [];
  private wasSetUp = false;
  private readonly idPrefix = randomBytes(6).toString('base64url');
  private counter = 0;
  private closed = false;

  constructor(private readonly options: RabbitBackplaneOptions) {
    this.names = new RabbitNames(options.rabbit.namePrefix);
    this.sequencer = options.sequencer;
    this.sequenced = options.sequencer.sequencedPublish(
      (destination) => this.subscriptions.get(destination)?.gate.lastSeq ?? 0,
    );
    this.instanceQueue = this.names.instanceQueue(this.idPrefix);
    this.sequencer.commands.on('error', (error: Error) => this.report(`redis sequencer connection: ${error.message}`));
    this.link = new RabbitLink({
      config: options.rabbit,
      connectionName: `chat-backplane-${this.idPrefix}`,
      setup: (model) => this.setUp(model),
      onDown: () => {
        this.consumer = undefined;
        this.controlReady = false;
      },
      onError: (message, error) => this.report(message, error),
    });
  }

  async publish(message: OutgoingMessage, options: PublishOptions = {}): Promise<PublishedMessage> {
    this.assertOpen();
    // Before a sequence is taken: while the broker cannot take the message, nothing is sequenced.
    this.link.assertWritable();
    const id = `${this.idPrefix}-${(++this.counter).toString(36)}`;
    const content = encodeContent(id, message);
    const ephemeral = message.ephemeral === true;
    const sequenced = ephemeral
      ? { seq: 0, publishedAt: Date.now(), id, duplicate: false }
      : await this.sequenced.publish(message, content, id, options);
    if (sequenced.duplicate) {
      options.onOrdered?.();
      await this.carryAgain(message.destination, sequenced.seq);
      return publishedFrom(message, sequenced);
    }
    const confirmed = this.link.publish(
      this.names.messagesExchange,
      this.names.routingKey(message.destination, ephemeral),
      encodeFrame(sequenced.seq, sequenced.publishedAt, content),
      { persistent: !ephemeral, messageId: id },
    );
    // Sequenced and on the channel: the caller's next publish may go while this confirm is pending.
    options.onOrdered?.();
    await confirmed;
    return publishedFrom(message, sequenced);
  }

  /**
   * A retry of a message already sequenced: the instance that sequenced it may have died after the
   * Redis step and before RabbitMQ confirmed it, leaving it in the replay log but nowhere else.
   * Carrying the original again from the log closes that window, so the retry's RECEIPT means
   * durable in RabbitMQ either way; instances drop the second copy by its seq, the persister by
   * its id. Only recent originals: an older one was confirmed or lost long before this retry.
   */
  private async carryAgain(destination: string, seq: number): Promise<void> {
    const { messages } = await this.readRecent(destination, seq - 1, 1);
    const original = messages[0];
    if (original === undefined || original.seq !== seq) return; // trimmed from the log
    if (Date.now() - original.publishedAt > CARRY_AGAIN_WITHIN_MS) return;
    await this.link.publish(
      this.names.messagesExchange,
      this.names.routingKey(destination, false),
      encodeFrame(seq, original.publishedAt, encodeContent(original.id, original)),
      { persistent: true, messageId: original.id },
    );
  }

  async raiseSequence(destination: string, atLeast: number): Promise<void> {
    this.assertOpen();
    await this.sequenced.raise(destination, atLeast);
  }

  async subscribe(destination: string, listener: MessageListener): Promise<void> {
    this.assertOpen();
    const gate = new SequenceGate({
      deliver: (message) => this.deliver(listener, message),
      readAfter: (afterSeq, limit) => this.readRecent(destination, afterSeq, limit),
      onLoss: (from, to, cause) => this.report(`${destination}: messages ${from}..${to} lost on this instance`, cause),
      repairDelayMs: REORDER_WAIT_MS,
    });
    const subscribed: Subscribed = { destination, gate };
    this.subscriptions.set(destination, subscribed);
    try {
      await this.link.whenUp(this.options.timeoutMs);
      // Read the counter before binding: anything newer reaches the gate live or, if it was
      // published before the binding took effect, through the gate's repair from the log.
      gate.startAfter(await this.sequencer.currentSequence(destination));
      await this.bind(destination);
    } catch (error) {
      if (this.subscriptions.get(destination) === subscribed) this.subscriptions.delete(destination);
      throw error;
    }
  }

  async unsubscribe(destination: string): Promise<void> {
    if (!this.subscriptions.delete(destination) || this.closed) return;
    // A binding left behind after a lost connection went with the exclusive queue.
    await this.consumer
      ?.unbindQueue(this.instanceQueue, this.names.messagesExchange, this.names.destinationBinding(destination))
      .catch((error: unknown) => this.report(`unbind ${destination} failed`, error));
  }

  async readRecent(destination: string, afterSeq: number, limit: number): Promise<RecentMessages> {
    this.assertOpen();
    return redisCall('readRecent', () => this.sequencer.readRecent(destination, afterSeq, limit));
  }

  async publishControl(event: ControlEvent): Promise<void> {
    this.assertOpen();
    // The sender gets its own event only once its queue is bound to the control exchange.
    await this.whenControlReady();
    await this.link.publish(this.names.controlExchange, '', Buffer.from(JSON.stringify(event)), {
      contentType: 'application/json',
    });
  }

  onControl(listener: ControlListener): void {
    this.controlListeners.push(listener);
  }

  async ping(): Promise<void> {
    this.assertOpen();
    await this.whenControlReady();
    this.link.assertWritable();
    await this.sequencer.commands.ping();
  }

  /** Resolves once this instance receives control events (its queue consumes and is bound). */
  async whenControlReady(): Promise<void> {
    this.assertOpen();
    if (!this.controlReady) await this.link.whenUp(this.options.timeoutMs);
    if (!this.controlReady) throw brokerUnavailable('control queue not ready');
  }

  beforeResume(check: () => Promise<void>): void {
    this.resumeChecks.push(check);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.subscriptions.clear();
    await Promise.all([this.link.close(), closeConnection(this.sequencer.commands)]);
  }

  /** Every (re)connection: topology, a fresh exclusive queue, its bindings, then the gaps filled. */
  private async setUp(model: ChannelModel): Promise<void> {
    const channel = await model.createChannel();
    channel.on('error', (error: Error) => this.report(`rabbitmq consume channel: ${error.message}`));
    await declareTopology(channel, this.names);
    await channel.assertQueue(this.instanceQueue, { exclusive: true, autoDelete: true, durable: false });
    await channel.bindQueue(this.instanceQueue, this.names.controlExchange, '');
    this.consumer = channel;
    await Promise.all([...this.subscriptions.keys()].map((destination) => this.bind(destination)));
    // After a lost connection, nothing is delivered until the access layer has re-read what it may
    // have missed; the fresh queue keeps what arrives meanwhile (consumption has not started).
    if (this.wasSetUp)
      await settleResumeChecks(this.resumeChecks, (error) => this.report('resume check failed', error));
    this.wasSetUp = true;
    // Live fan-out needs no acks: whatever a lost connection drops, the gates read from the log.
    await channel.consume(this.instanceQueue, (delivery) => this.onDelivery(delivery), { noAck: true });
    this.controlReady = true;
    for (const { gate } of this.subscriptions.values()) gate.catchUp();
  }

  private async bind(destination: string): Promise<void> {
    const channel = this.consumer;
    if (channel === undefined) throw brokerUnavailable(`subscribe ${destination}: not connected`);
    await channel.bindQueue(
      this.instanceQueue,
      this.names.messagesExchange,
      this.names.destinationBinding(destination),
    );
  }

  private onDelivery(delivery: ConsumeMessage | null): void {
    if (delivery === null) return; // consumer cancelled (queue gone); the link reconnects
    if (delivery.fields.exchange === this.names.controlExchange) {
      this.onControlMessage(delivery.content);
      return;
    }
    let message: PublishedMessage;
    try {
      message = decodeFrame(delivery.content);
    } catch (error) {
      this.report(`undecodable message on ${delivery.fields.routingKey}`, error);
      return;
    }
    this.subscriptions.get(message.destination)?.gate.accept(message);
  }

  private onControlMessage(payload: Buffer): void {
    dispatchControl(payload, this.controlListeners, (message, error) => this.report(message, error));
  }

  private deliver(listener: MessageListener, message: PublishedMessage): void {
    deliverTo(listener, message, (text, error) => this.report(text, error));
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('backplane is closed');
  }

  private report(message: string, error?: unknown): void {
    if (!this.closed) this.options.onError?.(message, error);
  }
}

/** Exchanges and the persist queue; idempotent, so every connection (and the persist queue) declares them. */
export async function declareTopology(channel: Channel, names: RabbitNames): Promise<void> {
  await channel.assertExchange(names.messagesExchange, 'topic', { durable: true });
  await channel.assertExchange(names.controlExchange, 'fanout', { durable: true });
  await channel.assertQueue(names.persistQueue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  await channel.bindQueue(names.persistQueue, names.messagesExchange, RabbitNames.PERSIST_BINDING);
}
