/**
 * One STOMP 1.2 session of a virtual user, on the real client (@stomp/stompjs over ws):
 * connect with a bearer token, subscribe with a receipt, send with a receipt, renew the
 * token in-band, and drop the socket abruptly (for the resume scenario).
 *
 * Every failure is counted under its code (the server's ERROR `code` header, or
 * SOCKET_CLOSED / CONNECT_TIMEOUT / RECEIPT_TIMEOUT for what the client sees) and rejects
 * `failed`, which a flow races against its own steps.
 */
import { Client, type IFrame, type IMessage, type StompHeaders } from '@stomp/stompjs';
import WebSocket from 'ws';
import { METRIC, type Metrics } from './metrics.js';

/** A session that ended with an error; `code` is the counted one. */
export class StompFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

export interface LinkOptions {
  readonly wsUrl: string;
  readonly token: string;
  readonly metrics: Metrics;
  /** Bound on CONNECT → CONNECTED and on each receipt, ms. */
  readonly timeoutMs: number;
  /** STOMP heart-beats both ways, ms (0 = off). */
  readonly heartbeatMs: number;
}

let receiptCounter = 0;
const nextReceiptId = (): string => `r-${process.pid}-${++receiptCounter}`;

export class StompLink {
  /** Rejects with a StompFailure when the session fails; never resolves. */
  readonly failed: Promise<never>;
  private fail!: (failure: StompFailure) => void;
  private closing = false;
  private closed = false;

  private constructor(
    private readonly client: Client,
    private readonly options: LinkOptions,
  ) {
    this.failed = new Promise<never>((_, reject) => {
      this.fail = reject;
    });
    // Flows race `failed`; a session that ends cleanly must not leave an unhandled rejection.
    this.failed.catch(() => undefined);
  }

  /** Opens a session and resolves once CONNECTED arrived (connect time recorded). */
  static open(options: LinkOptions): Promise<StompLink> {
    const { metrics } = options;
    const started = performance.now();
    const client = new Client({
      webSocketFactory: () => new WebSocket(options.wsUrl, ['v12.stomp']),
      connectHeaders: { Authorization: `Bearer ${options.token}` },
      reconnectDelay: 0,
      heartbeatIncoming: options.heartbeatMs,
      heartbeatOutgoing: options.heartbeatMs,
    });
    const link = new StompLink(client, options);
    return new Promise<StompLink>((resolve, reject) => {
      let connected = false;
      const timer = setTimeout(() => {
        link.failWith('CONNECT_TIMEOUT', `no CONNECTED within ${options.timeoutMs} ms`);
      }, options.timeoutMs);
      link.failed.catch((failure: StompFailure) => {
        clearTimeout(timer);
        if (!connected) reject(failure);
      });
      client.onConnect = () => {
        connected = true;
        clearTimeout(timer);
        metrics.sample(METRIC.connectTime, performance.now() - started);
        metrics.count(METRIC.sessionsOpened);
        resolve(link);
      };
      client.onStompError = (frame: IFrame) => {
        link.failWith(frame.headers['code'] ?? 'STOMP_ERROR', frame.headers['message'] ?? 'ERROR frame');
      };
      client.onWebSocketClose = (event: { code: number }) => {
        if (connected && !link.closed) metrics.count(METRIC.sessionsClosed);
        link.closed = true;
        if (!link.closing) link.failWith('SOCKET_CLOSED', `websocket closed (${event.code})`);
      };
      client.onWebSocketError = () => {
        if (!link.closing) link.failWith('SOCKET_ERROR', `websocket error on ${options.wsUrl}`);
      };
      client.activate();
    });
  }

  /**
   * SUBSCRIBE to a room's topic with a receipt; with `sinceSeq`, the server replays what came
   * after it first. Resolves with the RECEIPT's headers (x-replay, x-replay-count, x-last-seq).
   */
  async subscribe(
    destination: string,
    onMessage: (message: IMessage) => void,
    sinceSeq?: number,
  ): Promise<StompHeaders> {
    const receipt = nextReceiptId();
    const arrived = this.receipt(receipt);
    this.client.subscribe(destination, onMessage, {
      receipt,
      ...(sinceSeq === undefined ? {} : { 'x-since-seq': String(sinceSeq) }),
    });
    return (await arrived).headers;
  }

  /** SEND with a receipt; resolves with the receipt latency in ms (also recorded). */
  async send(destination: string, body: string, headers: StompHeaders = {}): Promise<number> {
    const receipt = nextReceiptId();
    const started = performance.now();
    const arrived = this.receipt(receipt);
    this.client.publish({ destination, body, headers: { ...headers, receipt, 'content-type': 'application/json' } });
    this.options.metrics.count(METRIC.sent);
    await arrived;
    const latency = performance.now() - started;
    this.options.metrics.sample(METRIC.receiptLatency, latency);
    this.options.metrics.count(METRIC.receipts);
    return latency;
  }

  /** Hands the session a fresh access token before the old one expires. */
  renew(token: string): void {
    if (this.closed) return;
    this.client.publish({ destination: '/app/session.renew', headers: { authorization: `Bearer ${token}` } });
  }

  /** Closes the socket without DISCONNECT, as a lost network does. */
  drop(): void {
    this.closing = true;
    this.client.forceDisconnect();
  }

  /** DISCONNECT and close. */
  async close(): Promise<void> {
    this.closing = true;
    await this.client.deactivate();
  }

  private receipt(id: string): Promise<IFrame> {
    return new Promise<IFrame>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.options.metrics.count(METRIC.receiptTimeouts);
        reject(this.failWith('RECEIPT_TIMEOUT', `no RECEIPT ${id} within ${this.options.timeoutMs} ms`));
      }, this.options.timeoutMs);
      this.client.watchForReceipt(id, (frame) => {
        clearTimeout(timer);
        resolve(frame);
      });
      this.failed.catch((failure: unknown) => {
        clearTimeout(timer);
        reject(failure as Error);
      });
    });
  }

  /** Counts the failure once and rejects `failed`; later failures of the same session are not counted. */
  private failWith(code: string, message: string): StompFailure {
    const failure = new StompFailure(code, message);
    if (!this.closing) {
      this.closing = true;
      this.options.metrics.error(code);
      this.fail(failure);
      if (!this.closed) void this.client.deactivate();
    }
    return failure;
  }
}
