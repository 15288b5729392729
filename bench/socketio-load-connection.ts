import { io, type Socket } from 'socket.io-client';
import { nowUs } from './clock.js';
import type { LoadConnection, LoadHandlers } from './load-connection.js';
import { SOCKETIO_EVENTS } from './socketio-events.js';

/**
 * The load worker's Socket.IO mode, for the Socket.IO peer server: a room join stands for
 * SUBSCRIBE and an acknowledgement for a RECEIPT. Bodies travel as strings (the payload is
 * ASCII), so each delivery is one WebSocket message as with STOMP, not a binary attachment.
 */
export class SocketIoLoadConnection implements LoadConnection {
  private closing = false;

  private constructor(
    private readonly socket: Socket,
    private readonly handlers: LoadHandlers,
  ) {}

  static open(url: string, handlers: LoadHandlers, timeoutMs: number): Promise<LoadConnection> {
    return new Promise((resolve, reject) => {
      // One engine per connection (forceNew), WebSocket only, nothing retried behind our back.
      const socket = io(url, {
        transports: ['websocket'],
        forceNew: true,
        reconnection: false,
        timeout: timeoutMs,
      });
      const connection = new SocketIoLoadConnection(socket, handlers);
      socket.once('connect', () => resolve(connection));
      socket.once('connect_error', (error: Error) => {
        socket.close();
        reject(new Error(`Socket.IO connect failed: ${error.message}`));
      });
      socket.on(SOCKETIO_EVENTS.message, (body: string) => handlers.onMessage(Buffer.from(body, 'latin1'), nowUs()));
      socket.on('disconnect', (reason: string) => {
        if (!connection.closing) handlers.onUnexpectedClose(0, reason);
      });
    });
  }

  get open(): boolean {
    return this.socket.connected;
  }

  subscribe(destination: string, receiptId?: string): void {
    this.socket.emit(SOCKETIO_EVENTS.join, destination, () => this.acknowledged(receiptId));
  }

  publish(destination: string, body: Buffer, receiptId?: string): void {
    const text = body.toString('latin1');
    if (receiptId === undefined) this.socket.emit(SOCKETIO_EVENTS.publish, destination, text);
    else this.socket.emit(SOCKETIO_EVENTS.publish, destination, text, () => this.acknowledged(receiptId));
  }

  close(): Promise<void> {
    this.closing = true;
    if (!this.socket.connected) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('disconnect', () => resolve());
      this.socket.close();
    });
  }

  terminate(): void {
    this.closing = true;
    this.socket.close();
  }

  private acknowledged(receiptId: string | undefined): void {
    if (receiptId !== undefined) this.handlers.onReceipt(receiptId, nowUs());
  }
}
