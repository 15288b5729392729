/**
 * What the load worker needs from one client connection, whatever protocol it speaks: STOMP
 * (the service, the floor server, RabbitMQ Web-STOMP) or Socket.IO (the Socket.IO peer). The
 * worker's counting, sequencing and latency code is the same for every system measured.
 */
export type ClientProtocol = 'stomp' | 'socketio';

export interface LoadHandlers {
  /** One delivery's body, with the time the carrying WebSocket message arrived. */
  onMessage(body: Uint8Array, receivedAtUs: number): void;
  /** A receipt (STOMP RECEIPT, Socket.IO acknowledgement) for an id this side chose. */
  onReceipt(receiptId: string, receivedAtUs: number): void;
  /** The server reported an error (STOMP ERROR frame, Socket.IO connect_error after connecting). */
  onServerError(text: string): void;
  /** The connection closed without us asking (server kicked us, or crashed). */
  onUnexpectedClose(code: number, reason: string): void;
}

export interface LoadConnection {
  readonly open: boolean;
  /** Joins `destination`; with a receipt id, the server confirms through onReceipt. */
  subscribe(destination: string, receiptId?: string): void;
  /** Sends one body to `destination`; with a receipt id, its acceptance comes back through onReceipt. */
  publish(destination: string, body: Buffer, receiptId?: string): void;
  close(): Promise<void>;
  /** Hard stop, used when a graceful close took too long. */
  terminate(): void;
}

/** How a STOMP connection logs in: per-connection logins by default, one shared login for a broker. */
export interface StompLogin {
  readonly login: string;
  readonly passcode: string;
  /** The CONNECT `host` header; RabbitMQ reads it as the virtual host. */
  readonly host: string;
}
