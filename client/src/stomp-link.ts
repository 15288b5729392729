import { Client, type IFrame, type IMessage, type IStompSocket, type StompHeaders } from '@stomp/stompjs';
import { ChatError } from './errors.js';

/** A WebSocket class: the browser's, Node 22's global one, or `ws` on Node 20. */
export type WebSocketClass = new (url: string, protocols?: string | string[]) => unknown;

export interface LinkOptions {
  readonly url: string;
  readonly accessToken: string;
  readonly webSocket: WebSocketClass;
  readonly heartbeatMs: number;
  readonly connectTimeoutMs: number;
  readonly onConnected: (frame: IFrame) => void;
  /** An ERROR frame: the server ends the session right after it. */
  readonly onErrorFrame: (error: ChatError) => void;
}

/** How a connection ended: the ERROR frame before the close, if any, and the close code. */
export interface LinkEnd {
  readonly error?: ChatError;
  readonly closeCode?: number;
}

/**
 * One STOMP connection attempt on @stomp/stompjs, never reconnecting by itself: the ChatClient
 * decides when and where to reconnect, and opens a new link each time.
 */
export class StompLink {
  readonly ended: Promise<LinkEnd>;
  private readonly client: Client;
  private lastError: ChatError | undefined;
  private finished = false;
  private finish!: (end: LinkEnd) => void;

  constructor(options: LinkOptions) {
    this.ended = new Promise((resolve) => (this.finish = resolve));
    this.client = new Client({
      webSocketFactory: () => new options.webSocket(options.url, ['v12.stomp']) as IStompSocket,
      connectHeaders: { Authorization: `Bearer ${options.accessToken}` },
      reconnectDelay: 0,
      connectionTimeout: options.connectTimeoutMs,
      heartbeatIncoming: options.heartbeatMs,
      heartbeatOutgoing: options.heartbeatMs,
      discardWebsocketOnCommFailure: true,
      onConnect: (frame) => options.onConnected(frame),
      onStompError: (frame) => {
        this.lastError = ChatError.fromErrorFrame(frame.headers, frame.body);
        options.onErrorFrame(this.lastError);
      },
      onWebSocketClose: (event?: { code?: number }) => this.end(event?.code),
    });
    this.client.activate();
  }

  get connected(): boolean {
    return !this.finished && this.client.connected;
  }

  /** Subscribes on this connection; the returned function unsubscribes (a no-op once the link ended). */
  subscribe(destination: string, onMessage: (message: IMessage) => void, headers: StompHeaders): () => void {
    const subscription = this.client.subscribe(destination, onMessage, headers);
    return () => {
      if (this.connected) subscription.unsubscribe();
    };
  }

  /** Writes a SEND; resolves with its RECEIPT, rejects with the ERROR naming it or when the link ends. */
  request(destination: string, body: string, headers: StompHeaders, receiptId: string): Promise<IFrame> {
    if (!this.connected) return Promise.reject(new ChatError('CLIENT_OFFLINE', 'not connected'));
    const receipt = this.receipt(receiptId);
    this.client.publish({ destination, body, headers: { ...headers, receipt: receiptId } });
    return receipt;
  }

  /** Resolves with the RECEIPT for `receiptId`; rejects with the ERROR naming it or when the link ends. */
  receipt(receiptId: string): Promise<IFrame> {
    return new Promise((resolve, reject) => {
      this.client.watchForReceipt(receiptId, resolve);
      void this.ended.then((end) => {
        const named = end.error?.details.headers?.['receipt-id'] === receiptId;
        reject(named ? end.error : new ChatError('CLIENT_OFFLINE', 'connection lost before the server answered'));
      });
    });
  }

  /** Drops the connection now (the browser went offline, or the client closes). */
  close(): void {
    this.end(undefined);
  }

  private end(closeCode: number | undefined): void {
    if (this.finished) return;
    this.finished = true;
    this.finish({ ...(this.lastError ? { error: this.lastError } : {}), ...(closeCode ? { closeCode } : {}) });
    // Stops stompjs's heart-beat timers and drops the socket without waiting for the server.
    void this.client.deactivate({ force: true });
  }
}
