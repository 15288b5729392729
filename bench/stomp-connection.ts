import WebSocket from 'ws';
import type { StompFrame } from '../app/src/stomp/frame.js';
import { StompParser } from '../app/src/stomp/parser.js';
import { encodeFrame } from '../app/src/stomp/serializer.js';
import { nowUs } from './clock.js';

export interface ConnectionHandlers {
  /** Called for MESSAGE frames with the time the carrying WebSocket message arrived. */
  onMessage(frame: StompFrame, receivedAtUs: number): void;
  onReceipt(receiptId: string, receivedAtUs: number): void;
  onErrorFrame(frame: StompFrame): void;
  /** The socket closed without us asking (server kicked us, or crashed). */
  onUnexpectedClose(code: number, reason: string): void;
}

/**
 * A minimal STOMP 1.2 client over raw `ws`, using the server's own codec. @stomp/stompjs
 * would add its own timers, scheduling and per-frame work to the measurement; this keeps the
 * client's cost to one parse per WebSocket message.
 */
export class BenchConnection {
  private closing = false;
  private receivedAtUs = 0;
  private readonly parser: StompParser;

  private constructor(
    private readonly ws: WebSocket,
    private readonly handlers: ConnectionHandlers,
  ) {
    this.parser = new StompParser({
      onFrame: (frame: StompFrame) => this.dispatch(frame),
      onHeartbeat: () => undefined,
    });
  }

  /**
   * Opens the socket, sends CONNECT (heart-beats off: they would add server work that is not
   * part of what is measured) and resolves on CONNECTED. Rejects on ERROR, close or timeout.
   */
  static open(
    url: string,
    login: string,
    handlers: ConnectionHandlers,
    timeoutMs: number,
    credentials: { readonly passcode: string; readonly host: string } = { passcode: 'bench', host: '127.0.0.1' },
  ): Promise<BenchConnection> {
    return new Promise((resolve, reject) => {
      // perMessageDeflate off: compression would put zlib on both sides of every frame.
      const ws = new WebSocket(url, 'v12.stomp', { perMessageDeflate: false, skipUTF8Validation: true });
      let settled = false;
      const fail = (reason: string): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        ws.terminate();
        reject(new Error(reason));
      };
      const timer = setTimeout(() => fail(`CONNECT timed out after ${timeoutMs} ms`), timeoutMs);
      const connection = new BenchConnection(ws, {
        ...handlers,
        onErrorFrame: (frame) => {
          if (settled) handlers.onErrorFrame(frame);
          else fail(`ERROR during CONNECT: ${frame.headers.get('message') ?? frame.body.toString('utf8')}`);
        },
        onUnexpectedClose: (code, reason) => {
          if (settled) handlers.onUnexpectedClose(code, reason);
          else fail(`closed during CONNECT: ${code} ${reason}`);
        },
      });
      connection.onConnected = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(connection);
      };
      ws.on('error', (error) => fail(`socket error: ${error.message}`));
      ws.on('open', () => {
        ws.send(
          encodeFrame('CONNECT', [
            ['accept-version', '1.2'],
            ['host', credentials.host],
            ['login', login],
            ['passcode', credentials.passcode],
            ['heart-beat', '0,0'],
          ]),
        );
      });
      ws.on('message', (data: Buffer) => connection.receive(data));
      ws.on('close', (code, reason) => connection.closed(code, reason.toString('utf8')));
    });
  }

  private onConnected: () => void = () => undefined;

  send(frame: Buffer): void {
    this.ws.send(frame);
  }

  /** Bytes queued in the client because the server is not reading fast enough. */
  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Closes the socket; a DISCONNECT receipt is not awaited since nothing depends on it. */
  close(): Promise<void> {
    this.closing = true;
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      if (this.ws.readyState === WebSocket.OPEN) {
        this.ws.send(encodeFrame('DISCONNECT', []));
        this.ws.close(1000);
      } else {
        this.ws.terminate();
      }
    });
  }

  /** Hard stop, used when a graceful close took too long. */
  terminate(): void {
    this.closing = true;
    this.ws.terminate();
  }

  private receive(data: Buffer): void {
    // One timestamp per WebSocket message: every frame in it arrived at the same moment.
    this.receivedAtUs = nowUs();
    try {
      this.parser.push(data);
    } catch (error) {
      // The parser is unusable after a violation; report it once and drop the connection.
      if (this.closing) return;
      this.closing = true;
      this.handlers.onUnexpectedClose(
        0,
        `unparseable data from server: ${error instanceof Error ? error.message : String(error)}`,
      );
      this.ws.terminate();
    }
  }

  private dispatch(frame: StompFrame): void {
    switch (frame.command) {
      case 'MESSAGE':
        this.handlers.onMessage(frame, this.receivedAtUs);
        return;
      case 'RECEIPT':
        this.handlers.onReceipt(frame.headers.get('receipt-id') ?? '', this.receivedAtUs);
        return;
      case 'CONNECTED':
        this.onConnected();
        return;
      case 'ERROR':
        this.handlers.onErrorFrame(frame);
        return;
      default:
        return;
    }
  }

  private closed(code: number, reason: string): void {
    if (!this.closing) this.handlers.onUnexpectedClose(code, reason);
  }
}
