import { randomUUID } from 'node:crypto';
import { AppError } from '../errors/app-error.js';
import type { StompCommand, StompFrame, StompVersion } from '../stomp/frame.js';
import { negotiateHeartBeat, parseHeartBeat } from '../stomp/heart-beat.js';
import { StompParser, type ParserHandlers } from '../stomp/parser.js';
import type { StompError } from '../stomp/stomp-error.js';
import type { PreparedMessage } from '../stomp/prepared-message.js';
import { encodeFrame, HEARTBEAT } from '../stomp/serializer.js';
import { negotiateVersion } from '../stomp/version.js';
import { AckTracker } from './ack-tracker.js';
import type { Principal } from './auth/principal.js';
import { frameContext, type SendReply } from './app-destinations.js';
import type { SendTarget, SubscribeTarget } from './destination-routes.js';
import { errorHeaders, toClientFailure } from './error-frame.js';
import { TokenBucket } from './rate-limiter.js';
import type { RealtimeContext } from './realtime-context.js';
import type { SessionSocket } from './session-socket.js';
import { ACK_MODES, type AckMode, type Subscription } from './subscription.js';
import { TransactionBuffer } from './transaction-buffer.js';
import { Fifo } from '../streams/fifo.js';
import { ReplayHolds, replayReceiptHeaders, sinceSeqOf } from './resume.js';
import { SendPipeline } from './send-pipeline.js';

type SessionState = 'awaiting-connect' | 'connecting' | 'connected' | 'closed';

/** A frame inside a transaction; a SEND keeps the target its destination resolved to. */
interface TransactedFrame {
  readonly frame: StompFrame;
  readonly send?: SendTarget;
}

/**
 * One client's STOMP 1.2 session over one WebSocket: the protocol state machine.
 *
 * Frames are handled strictly in arrival order; a frame that needs I/O (authentication,
 * authorization, publishing) holds back the ones behind it, so a SEND after a SUBSCRIBE never
 * overtakes it. Any violation ends the session with one ERROR frame and a close. What is not
 * the state machine lives beside it: SEND routing in SendDispatch (send-dispatch.ts), resuming
 * subscriptions in ReplayHolds (resume.ts); handlers answer with a SendReply the session applies.
 */
export class StompSession implements ParserHandlers {
  readonly id = randomUUID();
  private state: SessionState = 'awaiting-connect';
  private version: StompVersion = '1.2';
  private principal: Principal | undefined;
  private readonly parser: StompParser;
  private readonly subscriptions = new Map<string, Subscription>();
  // Created on first use: most sessions never ack, transact or resume, and idle sessions
  // are the bulk of a chat server's memory.
  private ackTracker: AckTracker | undefined;
  private transactionBuffer: TransactionBuffer<TransactedFrame> | undefined;
  private readonly sendLimiter: TokenBucket;
  private readonly inbox = new Fifo<StompFrame>();
  // Created on first SEND on a backplane that pipelines (Redis, RabbitMQ): idle sessions are most of the memory.
  private sendPipeline: SendPipeline | undefined;
  private replayHolds: ReplayHolds | undefined;
  private processing = false;
  private released = false;
  private readonly openedAt: number;
  private lastReceivedAt: number;
  // When the frame still being received began (undefined between frames), and frames parsed so far.
  private frameStartedAt: number | undefined;
  private framesParsed = 0;
  private lastSentAt: number;
  private lastPingAt: number;
  private serverBeatMs = 0;
  private clientBeatMs = 0;

  constructor(
    private readonly socket: SessionSocket,
    private readonly context: RealtimeContext,
    /** Who the upgrade request's credentials proved, if it carried any. */
    private readonly upgradePrincipal?: Principal,
  ) {
    const now = context.now();
    this.openedAt = this.lastReceivedAt = this.lastSentAt = this.lastPingAt = now;
    // The session is the parser's handler itself: two closures per connection were memory
    // every idle connection paid for.
    this.parser = new StompParser(this, context.config.limits);
    this.sendLimiter = new TokenBucket(context.config.sendRatePerSecond, context.config.sendBurst, now);
    context.registry.add(this);
  }

  get userId(): string | undefined {
    return this.principal?.userId;
  }

  get username(): string | undefined {
    return this.principal?.username;
  }

  get isOpen(): boolean {
    return this.state !== 'closed';
  }

  get subscriptionCount(): number {
    return this.subscriptions.size;
  }

  /** @internal The parser's: a complete frame arrived. */
  onFrame(frame: StompFrame): void {
    this.framesParsed++;
    this.enqueue(frame);
  }

  /** @internal The parser's: a heart-beat (EOL) arrived; receive() already noted the traffic. */
  onHeartbeat(): void {}

  /** Bytes from the WebSocket: any amount, any split. */
  receive(data: Buffer): void {
    if (this.state === 'closed') return;
    const now = this.context.now();
    this.lastReceivedAt = now;
    const framesBefore = this.framesParsed;
    try {
      this.parser.push(data);
    } catch (error) {
      this.fail(error, undefined);
      return;
    }
    if (!this.parser.midFrame) this.frameStartedAt = undefined;
    else if (this.frameStartedAt === undefined || this.framesParsed !== framesBefore) this.frameStartedAt = now;
  }

  /** The WebSocket is gone (either side closed it): release everything the session holds. */
  closed(): void {
    if (this.released) return;
    this.released = true;
    this.state = 'closed';
    this.inbox.clear();
    this.replayHolds?.clear();
    this.replayHolds = undefined;
    for (const subscription of this.subscriptions.values()) this.context.fanout.remove(subscription);
    this.subscriptions.clear();
    this.transactionBuffer = undefined;
    this.context.registry.remove(this);
    const userId = this.principal?.userId;
    if (userId !== undefined && this.context.registry.countForUser(userId) === 0) {
      this.context.userSendLimiter.release(userId);
    }
  }

  /** The fan-out hands over one prepared MESSAGE for one of this session's subscriptions. */
  deliver(subscription: Subscription, message: PreparedMessage, messageId: string, seq: number): void {
    if (this.state !== 'connected') return;
    if (this.replayHolds !== undefined) {
      const outcome = this.replayHolds.hold(subscription, message, messageId, seq);
      if (outcome === 'held' || outcome === 'replayed') return;
      if (outcome === 'overflow') {
        this.fail(new AppError('LIMIT_SLOW_CONSUMER', 'too many live messages while replaying history'), undefined);
        return;
      }
    }
    this.deliverNow(subscription, message, messageId);
  }

  private deliverNow(subscription: Subscription, message: PreparedMessage, messageId: string): void {
    let ackId: string | undefined;
    if (subscription.ackMode !== 'auto') {
      try {
        ackId = this.acks().track(subscription, messageId);
      } catch (error) {
        this.fail(error, undefined);
        return;
      }
    }
    // STOMP 1.0 and 1.1 clients acknowledge by message-id, so only 1.2 gets an `ack` header.
    const frame = message.render(this.version, subscription.id, this.version === '1.2' ? ackId : undefined);
    this.write(frame, message.isUtf8, 'MESSAGE');
  }

  /**
   * Called by the shared heart-beat timer: sends our beat when due, and ends sessions that
   * never connected, went silent, or whose credentials expired.
   */
  checkLiveness(now: number, tickMs: number): void {
    if (this.state === 'closed') return;
    const config = this.context.config;
    if (this.state === 'awaiting-connect' && now - this.openedAt > config.connectTimeoutMs) {
      this.fail(
        new AppError('LIMIT_CONNECT_TIMEOUT', `no CONNECT frame within ${config.connectTimeoutMs} ms`),
        undefined,
      );
      return;
    }
    // A frame begun and never finished would otherwise hold the session (and its buffer) forever
    // when heart-beats are off.
    const frameTimeoutMs = config.frameCompletionTimeoutMs;
    if (this.frameStartedAt !== undefined && frameTimeoutMs > 0 && now - this.frameStartedAt > frameTimeoutMs) {
      this.fail(new AppError('LIMIT_FRAME_TIMEOUT', `a frame was not finished within ${frameTimeoutMs} ms`), undefined);
      return;
    }
    if (this.state !== 'connected') return;
    if (this.clientBeatMs > 0 && now - this.lastReceivedAt > this.clientBeatMs * config.heartbeatTolerance) {
      this.fail(
        new AppError(
          'LIMIT_HEARTBEAT_TIMEOUT',
          `no data or heart-beat from the client for ${now - this.lastReceivedAt} ms`,
        ),
        undefined,
      );
      return;
    }
    if (this.principal?.expiresAt !== undefined && Date.now() >= this.principal.expiresAt) {
      this.fail(new AppError('AUTH_EXPIRED', 'token expired: reconnect with a fresh token'), undefined);
      return;
    }
    // Send a little early rather than late: the timer only looks every tickMs.
    if (this.serverBeatMs > 0 && now - this.lastSentAt >= this.serverBeatMs - tickMs) {
      this.write(HEARTBEAT, true, 'HEARTBEAT');
    }
    if (config.wsPingIntervalMs > 0 && now - this.lastPingAt >= config.wsPingIntervalMs) {
      this.lastPingAt = now;
      this.socket.ping();
    }
  }

  /** Ends the session from the server side with an ERROR frame (revocation, drain, removal). */
  terminate(error: AppError | StompError): void {
    this.fail(error, undefined);
  }

  /** Ends one subscription from the server side, e.g. when the user lost access to it. */
  endSubscriptionsWhere(predicate: (destination: string) => boolean, error: AppError): void {
    for (const subscription of [...this.subscriptions.values()]) {
      if (!predicate(subscription.destination)) continue;
      // STOMP has no server-side UNSUBSCRIBE; the spec makes ERROR fatal, so the session ends.
      this.fail(
        new AppError(error.code, error.message, { ...error.details, subscription: subscription.id }),
        undefined,
      );
      return;
    }
  }

  private acks(): AckTracker {
    return (this.ackTracker ??= new AckTracker(this.context.config.maxUnackedPerSubscription));
  }

  private transactions(): TransactionBuffer<TransactedFrame> {
    return (this.transactionBuffer ??= new TransactionBuffer(this.context.config.maxFramesPerTransaction));
  }

  private enqueue(frame: StompFrame): void {
    this.context.metrics.frameIn(frame.command);
    this.inbox.push(frame);
    if (!this.processing) void this.processInbox();
  }

  private async processInbox(): Promise<void> {
    this.processing = true;
    try {
      while (this.inbox.length > 0 && this.state !== 'closed') {
        const frame = this.inbox.shift()!;
        // Only a SEND may start while earlier SENDs are still on their way (send-pipeline.ts).
        const sending = this.sendPipeline?.drained();
        if (sending !== undefined && !pipelines(frame)) {
          await sending;
          if (!this.isOpen) break; // an earlier SEND failed
        }
        try {
          const pending = this.handle(frame);
          if (pending !== undefined) await pending;
        } catch (error) {
          // Earlier SENDs get their outcome first, as when a session carried out one at a time.
          await this.sendPipeline?.drained();
          this.fail(error, frame);
        }
      }
    } finally {
      this.processing = false;
    }
  }

  private handle(frame: StompFrame): Promise<void> | void {
    const command = frame.command;
    if (this.state === 'awaiting-connect') {
      if (command === 'CONNECT' || command === 'STOMP') return this.onConnect(frame);
      throw new AppError('PROTOCOL_NOT_CONNECTED', `expected CONNECT or STOMP, got ${command}`);
    }
    switch (command) {
      case 'SEND':
        return this.onSend(frame);
      case 'SUBSCRIBE':
        return this.onSubscribe(frame);
      case 'UNSUBSCRIBE':
        return this.onUnsubscribe(frame);
      case 'ACK':
      case 'NACK':
        return this.onAck(frame);
      case 'BEGIN':
        this.transactions().begin(this.required(frame, 'transaction'));
        return this.receipt(frame);
      case 'COMMIT':
        return this.onCommit(frame);
      case 'ABORT':
        this.transactions().abort(this.required(frame, 'transaction'));
        return this.receipt(frame);
      case 'DISCONNECT':
        this.receipt(frame);
        this.close(1000, 'client disconnected');
        return;
      case 'CONNECT':
      case 'STOMP':
        throw new AppError('PROTOCOL_ALREADY_CONNECTED', 'this session is already connected');
      default:
        throw new AppError('PROTOCOL_UNEXPECTED_FRAME', `${command} is a server frame; a client may not send it`);
    }
  }

  private async onConnect(frame: StompFrame): Promise<void> {
    this.state = 'connecting';
    const version = negotiateVersion(frame.headers.get('accept-version'));
    if (version === undefined) {
      throw new AppError('PROTOCOL_VERSION_UNSUPPORTED', 'supported STOMP versions are 1.0, 1.1 and 1.2', {
        version: '1.0,1.1,1.2',
      });
    }
    this.version = version;
    this.parser.version = version;
    const config = this.context.config;
    const [clientSends, clientWants] = parseHeartBeat(frame.headers.get('heart-beat'));
    const beats = negotiateHeartBeat([clientSends, clientWants], [config.heartbeatSendMs, config.heartbeatReceiveMs]);

    this.principal = await this.authenticate(frame);
    if (this.context.registry.countForUser(this.principal.userId) >= config.maxConnectionsPerUser) {
      throw new AppError('LIMIT_CONNECTIONS', `user already has ${config.maxConnectionsPerUser} open connections`);
    }
    if (this.state !== 'connecting') return; // the socket closed while we were authenticating
    this.context.registry.bindUser(this, this.principal.userId);
    this.serverBeatMs = beats.serverSendsEveryMs;
    this.clientBeatMs = beats.clientSendsEveryMs;
    this.lastReceivedAt = this.context.now();
    this.state = 'connected';
    this.write(
      encodeFrame(
        'CONNECTED',
        [
          ['version', version],
          ['heart-beat', `${config.heartbeatSendMs},${config.heartbeatReceiveMs}`],
          ['server', config.serverName],
          ['session', this.id],
          ['user-name', this.principal.username],
        ],
        undefined,
        version,
      ),
      true,
      'CONNECTED',
    );
  }

  private authenticate(frame: StompFrame): Promise<Principal> {
    const authorization = frame.headers.get('authorization') ?? frame.headers.get('Authorization');
    const passcode = frame.headers.get('passcode');
    // Credentials on the upgrade request were already checked; CONNECT may still bring its own.
    if (this.upgradePrincipal !== undefined && authorization === undefined && passcode === undefined) {
      return Promise.resolve(this.upgradePrincipal);
    }
    return this.context.authenticator.authenticate({ login: frame.headers.get('login'), passcode, authorization });
  }

  private onSubscribe(frame: StompFrame): Promise<void> {
    const destination = this.required(frame, 'destination');
    // STOMP 1.0 made `id` optional; the destination then names the subscription.
    const id = this.version === '1.0' ? (frame.headers.get('id') ?? destination) : this.required(frame, 'id');
    const ackMode = (frame.headers.get('ack') ?? 'auto') as AckMode;
    if (!ACK_MODES.includes(ackMode)) {
      throw new AppError('PROTOCOL_BAD_HEADER', `ack must be one of ${ACK_MODES.join(', ')}`);
    }
    if (this.subscriptions.has(id)) {
      throw new AppError(
        'PROTOCOL_DUPLICATE_SUBSCRIPTION',
        `subscription id '${id}' is already in use on this connection`,
      );
    }
    if (this.subscriptions.size >= this.context.config.maxSubscriptionsPerConnection) {
      throw new AppError(
        'LIMIT_SUBSCRIPTIONS',
        `at most ${this.context.config.maxSubscriptionsPerConnection} subscriptions per connection`,
      );
    }
    const target = this.context.routes.resolveSubscribe(destination, this.principal!.userId);
    const sinceSeq = sinceSeqOf(frame.headers, target.kind);
    const subscription: Subscription = { id, destination: target.destination, ackMode, subscriber: this };
    // Reserve the id before any await so a duplicate SUBSCRIBE behind this one is caught.
    this.subscriptions.set(id, subscription);
    return this.completeSubscribe(frame, target, subscription, sinceSeq);
  }

  private async completeSubscribe(
    frame: StompFrame,
    target: SubscribeTarget,
    subscription: Subscription,
    sinceSeq?: number,
  ): Promise<void> {
    // Taken before any await: live messages for a resuming subscription wait for its replay.
    const holds = sinceSeq === undefined ? undefined : (this.replayHolds ??= new ReplayHolds());
    holds?.start(subscription);
    try {
      const destination = frame.headers.get('destination')!;
      await target.authorize(frameContext('SUBSCRIBE', this.principal!, this.id, destination, target.params, frame));
      await this.context.fanout.add(subscription);
    } catch (error) {
      this.subscriptions.delete(subscription.id);
      holds?.cancel(subscription);
      throw error;
    }
    if (this.state === 'closed') {
      this.context.fanout.remove(subscription);
      return;
    }
    if (holds === undefined || sinceSeq === undefined) {
      this.receipt(frame);
      return;
    }
    const replayed = await holds.replay(this.context.backplane, subscription, sinceSeq, {
      isConnected: () => this.state === 'connected',
      deliver: (message, messageId) => this.deliverNow(subscription, message, messageId),
    });
    this.receipt(frame, replayReceiptHeaders(replayed));
  }

  private onUnsubscribe(frame: StompFrame): void {
    const id =
      this.version === '1.0'
        ? (frame.headers.get('id') ?? this.required(frame, 'destination'))
        : this.required(frame, 'id');
    const subscription = this.subscriptions.get(id);
    if (subscription === undefined) {
      throw new AppError('PROTOCOL_UNKNOWN_SUBSCRIPTION', `no subscription with id '${id}'`);
    }
    this.subscriptions.delete(id);
    this.replayHolds?.cancel(subscription);
    this.context.fanout.remove(subscription);
    this.ackTracker?.dropSubscription(subscription);
    this.receipt(frame);
  }

  private onSend(frame: StompFrame): Promise<void> | void {
    const now = this.context.now();
    if (!this.sendLimiter.tryTake(now)) {
      throw new AppError('LIMIT_SEND_RATE', `more than ${this.context.config.sendRatePerSecond} messages per second`);
    }
    if (!this.context.userSendLimiter.tryTake(this.principal!.userId, now)) {
      throw new AppError(
        'LIMIT_SEND_RATE',
        `more than ${this.context.config.userSendRatePerSecond} messages per second from this user`,
      );
    }
    const target = this.context.sends.resolve(this.required(frame, 'destination'));
    const transaction = frame.headers.get('transaction');
    if (transaction !== undefined) {
      this.transactions().add(transaction, { frame, send: target });
      this.receipt(frame);
      return;
    }
    if (!this.context.sends.pipelines) {
      return this.applySend(frame, target).then((reply) => this.receipt(frame, reply?.receiptHeaders));
    }
    return (this.sendPipeline ??= new SendPipeline()).add(
      (ordered) => this.context.sends.carryOut(frame, target, this.principal!, this.id, ordered),
      (reply) => this.receipt(frame, this.renewFrom(reply)?.receiptHeaders),
      (error) => this.fail(error, frame),
    );
  }

  /** Carries out a SEND and applies its reply here, in frame order: a renewal takes effect before the next frame. */
  private applySend(frame: StompFrame, target: SendTarget): Promise<SendReply | void> {
    return this.context.sends.carryOut(frame, target, this.principal!, this.id).then((reply) => this.renewFrom(reply));
  }

  /** A reply's renewed principal takes effect for the frames after its SEND. */
  private renewFrom(reply: SendReply | void): SendReply | void {
    if (reply?.principal !== undefined) this.principal = reply.principal;
    return reply;
  }

  private onAck(frame: StompFrame): void {
    const transaction = frame.headers.get('transaction');
    if (transaction !== undefined) {
      this.resolveAckId(frame); // validate now, so a bad ACK fails where it was sent
      this.transactions().add(transaction, { frame });
    } else {
      this.acks().settle(this.resolveAckId(frame));
    }
    this.receipt(frame);
  }

  private resolveAckId(frame: StompFrame): string {
    if (this.version === '1.2') return this.required(frame, 'id');
    const messageId = this.required(frame, 'message-id');
    const subscriptionId = this.version === '1.1' ? this.required(frame, 'subscription') : undefined;
    const ackId = this.ackTracker?.findByMessageId(messageId, subscriptionId);
    if (ackId === undefined) {
      throw new AppError('PROTOCOL_UNKNOWN_ACK', `no unacknowledged message '${messageId}'`);
    }
    return ackId;
  }

  private async onCommit(frame: StompFrame): Promise<void> {
    const frames = this.transactions().commit(this.required(frame, 'transaction'));
    for (const held of frames) {
      if (held.send !== undefined) await this.applySend(held.frame, held.send);
      else this.acks().settle(this.resolveAckId(held.frame));
    }
    this.receipt(frame);
  }

  private required(frame: StompFrame, header: string): string {
    const value = frame.headers.get(header);
    if (value === undefined || value === '') {
      throw new AppError('PROTOCOL_MISSING_HEADER', `${frame.command} requires the '${header}' header`, { header });
    }
    return value;
  }

  private receipt(frame: StompFrame, extraHeaders: ReadonlyArray<readonly [string, string]> = []): void {
    const receiptId = frame.headers.get('receipt');
    if (receiptId === undefined || this.state === 'closed') return;
    const headers: Array<readonly [string, string]> = [['receipt-id', receiptId], ...extraHeaders];
    this.write(encodeFrame('RECEIPT', headers, undefined, this.version), true, 'RECEIPT');
  }

  private write(data: Buffer, text: boolean, command: StompCommand | 'HEARTBEAT'): void {
    if (this.state === 'closed') return;
    if (this.socket.bufferedAmount + data.length > this.context.config.maxOutboundBufferBytes) {
      this.fail(
        new AppError(
          'LIMIT_SLOW_CONSUMER',
          `client is not reading: more than ${this.context.config.maxOutboundBufferBytes} bytes queued`,
        ),
        undefined,
      );
      return;
    }
    this.lastSentAt = this.context.now();
    this.socket.send(data, text);
    if (command !== 'HEARTBEAT') this.context.metrics.frameOut(command);
  }

  /** Sends one ERROR frame (bypassing the outbound bound: it is the last thing sent) and closes. */
  private fail(error: unknown, frame: StompFrame | undefined): void {
    if (this.state === 'closed') return;
    const failure = toClientFailure(error);
    this.context.metrics.error(failure.code);
    if (failure.code === 'INTERNAL') {
      this.context.log.error({ err: error, session: this.id, command: frame?.command }, 'session failed');
    } else {
      this.context.log.debug({ code: failure.code, session: this.id, command: frame?.command }, failure.message);
    }
    const body = Buffer.from(failure.message, 'utf8');
    this.socket.send(
      encodeFrame('ERROR', errorHeaders(failure, frame?.headers.get('receipt')), body, this.version),
      true,
    );
    this.context.metrics.frameOut('ERROR');
    this.close(failure.closeCode, failure.code);
  }

  private close(code: number, reason: string): void {
    if (this.state === 'closed') return;
    this.socket.close(code, reason);
    this.closed();
  }
}

/** A SEND outside a transaction: the one frame that may go while earlier SENDs are unfinished. */
function pipelines(frame: StompFrame): boolean {
  return frame.command === 'SEND' && !frame.headers.has('transaction');
}
