import { encodeFrame } from '../app/src/stomp/serializer.js';
import type { LoadConnection, LoadHandlers, StompLogin } from './load-connection.js';
import { BenchConnection } from './stomp-connection.js';

/** The load worker's STOMP mode: SUBSCRIBE and SEND frames over a BenchConnection. */
export class StompLoadConnection implements LoadConnection {
  private constructor(private readonly connection: BenchConnection) {}

  static async open(
    url: string,
    login: StompLogin,
    handlers: LoadHandlers,
    timeoutMs: number,
  ): Promise<LoadConnection> {
    const connection = await BenchConnection.open(
      url,
      login.login,
      {
        onMessage: (frame, receivedAtUs) => handlers.onMessage(frame.body, receivedAtUs),
        onReceipt: (receiptId, receivedAtUs) => handlers.onReceipt(receiptId, receivedAtUs),
        onErrorFrame: (frame) =>
          handlers.onServerError(
            `ERROR frame: ${frame.headers.get('message') ?? ''} ${frame.body.toString('utf8', 0, 200)}`.trim(),
          ),
        onUnexpectedClose: (code, reason) => handlers.onUnexpectedClose(code, reason),
      },
      timeoutMs,
      login,
    );
    return new StompLoadConnection(connection);
  }

  get open(): boolean {
    return this.connection.open;
  }

  subscribe(destination: string, receiptId?: string): void {
    const headers: [string, string][] = [
      ['id', 'sub-0'],
      ['destination', destination],
      ['ack', 'auto'],
    ];
    if (receiptId !== undefined) headers.push(['receipt', receiptId]);
    this.connection.send(encodeFrame('SUBSCRIBE', headers));
  }

  publish(destination: string, body: Buffer, receiptId?: string): void {
    const headers: [string, string][] = [
      ['destination', destination],
      ['content-type', 'text/plain'],
    ];
    if (receiptId !== undefined) headers.push(['receipt', receiptId]);
    this.connection.send(encodeFrame('SEND', headers, body));
  }

  close(): Promise<void> {
    return this.connection.close();
  }

  terminate(): void {
    this.connection.terminate();
  }
}
