import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { Log } from '../ops/log.port.js';
import { StompError } from '../stomp/stomp-error.js';
import { TickCork } from '../streams/tick-cork.js';
import type { SessionSocket } from './session-socket.js';
import type { StompSession } from './stomp-session.js';
import type { StompWebSocket, StompWebSocketOwner } from './stomp-websocket.js';
import { LastFrameMemo, ONE_BUFFER_FRAME_MAX } from './websocket-frame.js';

/** What every session socket of one endpoint shares. */
export interface WsSessionSocketShared {
  readonly log: Log;
  /** maxPayload of the WebSocket server, for the ERROR a too-big message gets. */
  readonly maxMessageBytes: number;
}

// Shared, never mutated: ws copies the options it is given, so one object per send was garbage.
const AS_TEXT = Object.freeze({ binary: false });
const AS_BINARY = Object.freeze({ binary: true });
/** How long a close may wait for the peer's close frame before the socket is dropped. */
const CLOSE_HANDSHAKE_MS = 5_000;
/** `WebSocket.OPEN`, without reading the class's static on every send. */
const OPEN = 1;
/** One for all sockets: a fan-out sends the same payload to its subscribers one after another. */
const framed = new LastFrameMemo();

/**
 * A `ws` WebSocket as a session's SessionSocket, and the socket's link back to its session.
 * One object per connection with its methods on the prototype, and module-level listeners that
 * find it through `ws.owner`: an adapter of closures cost about 0.6 KiB more per idle connection
 * (seven closures and their contexts, one of which kept the upgrade request alive).
 */
export class WsSessionSocket implements SessionSocket, StompWebSocketOwner {
  private readonly cork: TickCork;
  private session: StompSession | undefined;

  constructor(
    private readonly ws: StompWebSocket,
    private readonly raw: Duplex,
    private readonly shared: WsSessionSocketShared,
  ) {
    this.cork = new TickCork(raw);
  }

  /** Hands the socket's events to the session from now on. */
  attach(session: StompSession): void {
    this.session = session;
    this.ws.owner = this;
    this.ws.on('message', onMessage);
    this.ws.on('close', onClose);
    this.ws.on('error', onError);
  }

  /**
   * A small frame is written to the socket as one finished WebSocket frame (see
   * websocket-frame.ts), framed once per payload for a whole fan-out; `ws` sends the rest, and
   * gets anything sent once the socket is no longer open (it drops it: the peer is gone). Writing
   * beside `ws` keeps the order, since `ws` writes each frame of its own to the socket whole and
   * at once: with permessage-deflate off (stomp-endpoint.ts) and Buffer payloads it never queues
   * one for later. `ws`'s bufferedAmount counts these bytes too: they wait in the socket.
   */
  send(data: Buffer, text: boolean): void {
    this.cork.hold();
    if (data.length <= ONE_BUFFER_FRAME_MAX && this.ws.readyState === OPEN) this.raw.write(framed.frameOf(data, text));
    else this.ws.send(data, text ? AS_TEXT : AS_BINARY);
  }

  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  close(code: number, reason: string): void {
    this.ws.close(code, reason.slice(0, 120));
    // A peer that never answers the close handshake must not hold the socket forever.
    setTimeout(terminate, CLOSE_HANDSHAKE_MS, this.ws).unref();
  }

  ping(): void {
    this.ws.ping();
  }

  messageTooBig(): void {
    this.session?.terminate(
      new StompError(
        'STOMP_FRAME_TOO_LARGE',
        `a WebSocket message may carry at most ${this.shared.maxMessageBytes} bytes`,
      ),
    );
  }

  /** @internal From the module-level listeners below. */
  received(data: Buffer | ArrayBuffer | Buffer[]): void {
    this.session?.receive(toBuffer(data));
  }

  /** @internal */
  ended(error?: Error): void {
    const session = this.session;
    if (session === undefined) return;
    if (error !== undefined) this.shared.log.debug({ err: error, session: session.id }, 'websocket error');
    session.closed();
  }
}

// `ws` calls its listeners with the socket as `this` (typed as the base WebSocket).
function onMessage(this: WebSocket, data: Buffer | ArrayBuffer | Buffer[]): void {
  ownerOf(this).received(data);
}

function onClose(this: WebSocket): void {
  ownerOf(this).ended();
}

function onError(this: WebSocket, error: Error): void {
  ownerOf(this).ended(error);
}

function ownerOf(ws: WebSocket): WsSessionSocket {
  return (ws as StompWebSocket).owner as WsSessionSocket;
}

function terminate(ws: StompWebSocket): void {
  ws.terminate();
}

function toBuffer(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
