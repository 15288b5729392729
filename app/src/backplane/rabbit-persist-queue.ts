import type { Channel, ChannelModel, GetMessage, Message } from 'amqplib';
import type { RabbitConfig } from '../config/app-config.js';
import { DEFAULT_CLAIM_IDLE_MS } from './local-persist-queue.js';
import type { PersistEntry, PersistQueue } from './persist-queue.port.js';
import { declareTopology } from './rabbit-backplane.js';
import { RabbitLink } from './rabbit-link.js';
import { RabbitNames } from './rabbit-names.js';
import { UnsettledDeliveries } from './rabbit-unsettled.js';
import { closeConnection } from '../redis/redis-connection.js';
import { decodeFrame } from './redis-message-codec.js';
import type { RedisSequencer } from './redis-sequencer.js';

export interface RabbitPersistQueueOptions {
  readonly rabbit: RabbitConfig;
  /** Keeps the backlog count (see RedisKeys.brokerPersistBacklog); the queue closes its connection. */
  readonly sequencer: RedisSequencer;
  readonly timeoutMs: number;
  /** Entries read but unacknowledged this long go back to the queue for the next reader. */
  readonly claimIdleMs?: number;
  readonly onError?: (message: string, error?: unknown) => void;
}

interface Held {
  readonly delivery: Message;
  readonly channel: Channel;
  readonly at: number;
}

/**
 * The persist hand-off on RabbitMQ: the durable quorum queue `<prefix>.persist` that every kept
 * message is routed to by its publish (rabbit-backplane.ts), read with manual acks.
 *
 * A blocking read consumes (prefetch twice the batch) and hands out what arrived; a read that
 * must not wait takes what is ready with basic.get, so it sees exactly what is queued now (the
 * shutdown flush). An entry stays unacknowledged in RabbitMQ until the persister stored it: if
 * this process dies, the broker hands it to another instance; if it is only slow, entries left
 * unacknowledged `claimIdleMs` go back (nack with requeue) for anyone. The store's writes are
 * idempotent, so a message stored twice that way is kept once. A store outage leaves the
 * backlog in RabbitMQ, durable and bounded only by the broker's disk.
 */
export class RabbitPersistQueue implements PersistQueue {
  private readonly names: RabbitNames;
  private readonly link: RabbitLink;
  private readonly claimIdleMs: number;
  private channel: Channel | undefined;
  /** Bumped per channel so an entry id from a lost channel is never acknowledged on a new one. */
  private generation = 0;
  private consuming: Promise<unknown> | undefined;
  private consumerTag: string | undefined;
  private readonly buffer: Message[] = [];
  private readonly handed = new Map<string, Held>();
  /** Everything the current channel delivered and nobody acked or returned yet. */
  private unsettled = new UnsettledDeliveries();
  private wake: (() => void) | undefined;
  private lastReadAt = Date.now();
  private readonly sweeper: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly options: RabbitPersistQueueOptions) {
    this.names = new RabbitNames(options.rabbit.namePrefix);
    this.claimIdleMs = options.claimIdleMs ?? DEFAULT_CLAIM_IDLE_MS;
    options.sequencer.commands.on('error', (error: Error) => this.report(`redis persist connection: ${error.message}`));
    this.link = new RabbitLink({
      config: options.rabbit,
      connectionName: 'chat-persist',
      setup: (model) => this.setUp(model),
      onDown: () => this.forgetChannel(),
      onError: (message, error) => this.report(message, error),
    });
    this.sweeper = setInterval(() => this.sweep(), Math.max(10, Math.floor(this.claimIdleMs / 4)));
    this.sweeper.unref();
  }

  async read(_consumer: string, count: number, blockMs: number): Promise<PersistEntry[]> {
    if (this.closed) throw new Error('persist queue is closed');
    this.lastReadAt = Date.now();
    await this.link.whenUp(this.options.timeoutMs);
    const channel = this.channel!;
    const taken = this.buffer.splice(0, count);
    if (taken.length < count && blockMs <= 0) {
      for (let got = await channel.get(this.names.persistQueue); got !== false;) {
        if (channel === this.channel) this.unsettled.add(got);
        taken.push(got);
        if (taken.length >= count) break;
        got = await channel.get(this.names.persistQueue);
      }
    }
    if (taken.length === 0 && blockMs > 0) {
      await this.consume(channel, count);
      await this.arrival(blockMs);
      taken.push(...this.buffer.splice(0, count));
    }
    return this.handOut(channel, taken);
  }

  async acknowledge(entryIds: readonly string[]): Promise<void> {
    const channel = this.channel;
    const stored: Message[] = [];
    for (const entryId of entryIds) {
      const held = this.handed.get(entryId);
      this.handed.delete(entryId);
      // Gone back to the queue (idle, or its channel was lost): someone else stores and acks it.
      if (held === undefined || held.channel !== channel) continue;
      stored.push(held.delivery);
    }
    if (channel !== undefined && stored.length > 0) {
      const { upTo, single } = this.unsettled.settle(stored);
      if (upTo !== undefined) channel.ack(upTo, true);
      for (const delivery of single) channel.ack(delivery);
    }
    await this.options.sequencer.acknowledged(stored.length);
  }

  async backlog(): Promise<number> {
    return this.options.sequencer.backlog();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.sweeper);
    this.wake?.();
    // Unacknowledged entries go back to the queue with the connection.
    await Promise.all([this.link.close(), closeConnection(this.options.sequencer.commands)]);
  }

  private async setUp(model: ChannelModel): Promise<void> {
    const channel = await model.createChannel();
    channel.on('error', (error: Error) => this.report(`rabbitmq persist channel: ${error.message}`));
    channel.on('close', () => {
      if (this.channel === channel) this.forgetChannel();
    });
    await declareTopology(channel, this.names);
    this.forgetChannel();
    this.channel = channel;
  }

  private forgetChannel(): void {
    this.channel = undefined;
    this.generation++;
    this.consuming = undefined;
    this.consumerTag = undefined;
    this.buffer.length = 0;
    this.handed.clear();
    this.unsettled = new UnsettledDeliveries();
  }

  private consume(channel: Channel, count: number): Promise<unknown> {
    this.consuming ??= channel
      .prefetch(Math.max(2 * count, 10))
      .then(() =>
        channel.consume(this.names.persistQueue, (delivery) => {
          if (delivery === null || channel !== this.channel) return;
          this.unsettled.add(delivery);
          this.buffer.push(delivery);
          this.wake?.();
        }),
      )
      .then((reply) => {
        this.consumerTag = reply.consumerTag;
      });
    return this.consuming;
  }

  private arrival(blockMs: number): Promise<void> {
    if (this.buffer.length > 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, blockMs);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }

  private handOut(channel: Channel, deliveries: readonly (Message | GetMessage)[]): PersistEntry[] {
    const entries: PersistEntry[] = [];
    const now = Date.now();
    for (const delivery of deliveries) {
      const entryId = `${this.generation}:${delivery.fields.deliveryTag}`;
      try {
        entries.push({ entryId, message: decodeFrame(delivery.content) });
        this.handed.set(entryId, { delivery, channel, at: now });
      } catch (error) {
        // Left unacknowledged (never handed out, never requeued): a newer version may take it.
        this.report(`persist entry ${entryId} cannot be decoded; left unacknowledged`, error);
      }
    }
    return entries;
  }

  /** Entries idle too long go back to the queue; so does a buffer nobody reads any more. */
  private sweep(): void {
    const channel = this.channel;
    if (channel === undefined) return;
    const cutoff = Date.now() - this.claimIdleMs;
    for (const [entryId, held] of this.handed) {
      if (held.at > cutoff) continue;
      this.handed.delete(entryId);
      if (held.channel !== channel) continue;
      this.unsettled.remove(held.delivery);
      channel.nack(held.delivery, false, true);
    }
    if (this.lastReadAt <= cutoff && this.consumerTag !== undefined) {
      const tag = this.consumerTag;
      this.consumerTag = undefined;
      this.consuming = undefined;
      // Cancel first, so the broker does not push the requeued entries straight back here.
      void channel.cancel(tag).then(
        () => {
          if (channel !== this.channel) return;
          for (const delivery of this.buffer.splice(0)) {
            this.unsettled.remove(delivery);
            channel.nack(delivery, false, true);
          }
        },
        (error: unknown) => this.report('persist consumer cancel failed', error),
      );
    }
  }

  private report(message: string, error?: unknown): void {
    if (!this.closed) this.options.onError?.(message, error);
  }
}
