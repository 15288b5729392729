import { connect, type ChannelModel, type ConfirmChannel, type Options, type RecoveringChannelModel } from 'amqplib';
import type { RabbitConfig } from '../config/app-config.js';
import { AppError } from '../errors/app-error.js';
import { MAX_RECONNECT_DELAY_MS } from '../redis/redis-connection.js';

export interface RabbitLinkOptions {
  readonly config: RabbitConfig;
  /** Shown in the broker's connection list. */
  readonly connectionName: string;
  /**
   * Runs on every (re)connection before the link counts as up: declare topology, open consumers.
   * The confirm channel for publishing is already open.
   */
  readonly setup: (model: ChannelModel) => Promise<void>;
  /** The connection was lost; the recovery loop is reconnecting. */
  readonly onDown?: () => void;
  readonly onError?: (message: string, error?: unknown) => void;
}

/** The error every caller sees while the broker cannot take a write: a stable code, never INTERNAL. */
export function brokerUnavailable(why: string): AppError {
  return new AppError('BACKPLANE_UNAVAILABLE', `message broker unavailable: ${why}`);
}

/** URL with the credentials given apart from it (Amazon MQ: from Secrets Manager) and the heartbeat. */
export function connectionUrl(config: RabbitConfig): string {
  const url = new URL(config.url);
  if (config.username !== undefined) url.username = encodeURIComponent(config.username);
  if (config.password !== undefined) url.password = encodeURIComponent(config.password);
  url.searchParams.set('heartbeat', String(config.heartbeatSeconds));
  return url.toString();
}

/**
 * One AMQP connection that comes back by itself (amqplib's recovery, with the same capped backoff
 * as the Redis connections), and a confirm channel to publish on.
 *
 * Publishing refuses at once, with BACKPLANE_UNAVAILABLE, while the connection is down, while
 * the broker has blocked it (memory or disk alarm) and while the socket's write buffer is full;
 * a publish in flight gets its confirm within `confirmTimeoutMs` or fails. So nothing queues up
 * without bound in this process, and a client never waits longer than that for a RECEIPT.
 */
export class RabbitLink {
  private readonly model: Promise<RecoveringChannelModel>;
  private publisher: ConfirmChannel | undefined;
  private blockedBy: string | undefined;
  private writeBufferFull = false;
  private upWaiters: Array<() => void> = [];
  private closed = false;

  constructor(private readonly options: RabbitLinkOptions) {
    this.model = connect(connectionUrl(options.config), {
      clientProperties: { connection_name: options.connectionName },
      // Publishes and acks are small writes issued while others are in flight: no Nagle delay.
      noDelay: true,
      recovery: {
        initialDelay: 50,
        maxDelay: MAX_RECONNECT_DELAY_MS,
        waitForConnect: false,
        setup: (model: ChannelModel) => this.setUp(model),
      },
    });
    void this.model.then(
      (model) => {
        model.on('disconnect', (error: Error) => this.down(error));
        model.on('error', (error: Error) => this.report(`rabbitmq connection: ${error.message}`));
        model.on('connect-failed', (error: Error) => this.report(`rabbitmq connect failed: ${error.message}`));
        model.on('blocked', (reason: string) => {
          this.blockedBy = reason || 'resource alarm';
          this.report(`rabbitmq blocked this connection: ${this.blockedBy}`);
        });
        model.on('unblocked', () => {
          this.blockedBy = undefined;
        });
      },
      (error: unknown) => this.report('rabbitmq connection could not be created', error),
    );
  }

  get isUp(): boolean {
    return this.publisher !== undefined;
  }

  /** Throws BACKPLANE_UNAVAILABLE unless a publish could go out now. */
  assertWritable(): void {
    if (this.closed) throw new Error('backplane is closed');
    if (this.publisher === undefined) throw brokerUnavailable('not connected');
    if (this.blockedBy !== undefined) throw brokerUnavailable(`the broker blocked publishing (${this.blockedBy})`);
    if (this.writeBufferFull) throw brokerUnavailable('publishing faster than the broker takes messages');
  }

  /** Publishes and resolves once the broker confirmed it (for a quorum queue: replicated to a majority). */
  publish(exchange: string, routingKey: string, content: Buffer, options: Options.Publish): Promise<void> {
    this.assertWritable();
    const channel = this.publisher!;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(brokerUnavailable(`no confirm within ${this.options.config.confirmTimeoutMs} ms`)),
        this.options.config.confirmTimeoutMs,
      );
      const settle = (error: unknown) => {
        clearTimeout(timer);
        if (error === null || error === undefined) resolve();
        else reject(brokerUnavailable(error instanceof Error ? error.message : 'publish not confirmed'));
      };
      try {
        const accepted = channel.publish(exchange, routingKey, content, options, settle);
        if (!accepted) this.writeBufferFull = true;
      } catch (error) {
        settle(error ?? new Error('publish failed'));
      }
    });
  }

  /** Resolves once connected, or rejects with BACKPLANE_UNAVAILABLE after timeoutMs. */
  whenUp(timeoutMs: number): Promise<void> {
    if (this.closed) return Promise.reject(new Error('backplane is closed'));
    if (this.isUp) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.upWaiters = this.upWaiters.filter((waiter) => waiter !== wake);
        reject(brokerUnavailable(`not connected after ${timeoutMs} ms`));
      }, timeoutMs);
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      this.upWaiters.push(wake);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.publisher = undefined;
    const model = await this.model.catch(() => undefined);
    await model?.close().catch(() => {});
  }

  private async setUp(model: ChannelModel): Promise<void> {
    const publisher = await model.createConfirmChannel();
    publisher.on('error', (error: Error) => this.report(`rabbitmq publish channel: ${error.message}`));
    publisher.on('drain', () => {
      this.writeBufferFull = false;
    });
    publisher.on('close', () => {
      if (this.publisher === publisher) this.publisher = undefined;
    });
    await this.options.setup(model);
    this.blockedBy = undefined;
    this.writeBufferFull = false;
    this.publisher = publisher;
    const waiters = this.upWaiters;
    this.upWaiters = [];
    for (const wake of waiters) wake();
  }

  private down(error: Error): void {
    this.publisher = undefined;
    if (this.closed) return;
    this.report(`rabbitmq connection lost: ${error.message}`);
    this.options.onDown?.();
  }

  private report(message: string, error?: unknown): void {
    if (!this.closed) this.options.onError?.(message, error);
  }
}
