import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type Server as WsServer } from 'ws';
import { AppError } from '../errors/app-error.js';
import { ERROR_CODES } from '../errors/error-codes.js';
import { TickCork } from '../streams/tick-cork.js';
import type { Principal } from './auth/principal.js';
import { toClientFailure } from './error-frame.js';
import type { RealtimeContext } from './realtime-context.js';
import type { SessionSocket } from './session-socket.js';
import { StompSession } from './stomp-session.js';
import { StompWebSocket } from './stomp-websocket.js';
import { StompError } from '../stomp/stomp-error.js';

export const STOMP_PATH = '/ws';
/** Offered STOMP subprotocols, best first (the STOMP spec's WebSocket names). */
const SUBPROTOCOLS = ['v12.stomp', 'v11.stomp', 'v10.stomp'];

/**
 * The WebSocket door: takes HTTP upgrades on /ws, checks Origin and any Authorization header
 * before upgrading (so a bad token costs no WebSocket), and gives each socket a StompSession.
 */
export class StompEndpoint {
  private readonly wss: WsServer<typeof StompWebSocket>;
  private readonly maxMessageBytes: number;
  private accepting = true;

  constructor(
    private readonly context: RealtimeContext,
    private readonly allowedOrigins: readonly string[] | '*',
  ) {
    const limits = context.config.limits;
    this.maxMessageBytes = limits.maxFrameBytes * 4;
    this.wss = new WebSocketServer<typeof StompWebSocket>({
      // Says why (a STOMP ERROR) before the close of a message over maxPayload.
      WebSocket: StompWebSocket,
      noServer: true,
      // Sessions are tracked by the SessionRegistry; a second set of sockets would only cost memory.
      clientTracking: false,
      // Compression costs CPU and memory per socket; chat frames are small.
      perMessageDeflate: false,
      // One WebSocket message may carry a few frames; anything far larger is abuse.
      maxPayload: this.maxMessageBytes,
      // The STOMP parser validates bytes itself, text frames included.
      skipUTF8Validation: true,
      handleProtocols: (offered) => SUBPROTOCOLS.find((name) => offered.has(name)) ?? false,
    });
  }

  attach(server: Server): void {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      void this.onUpgrade(request, socket, head);
    });
  }

  /** Stop taking new WebSockets (draining); existing sessions are left to the caller. */
  stopAccepting(): void {
    this.accepting = false;
  }

  close(): void {
    this.accepting = false;
    this.wss.close();
  }

  private async onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => socket.destroy());
    const path = (request.url ?? '/').split('?', 1)[0];
    if (path !== STOMP_PATH) return refuse(socket, 404, 'DESTINATION_UNKNOWN', `WebSocket endpoint is ${STOMP_PATH}`);
    if (!this.accepting) return refuse(socket, 503, 'SERVER_DRAINING', 'server is restarting; reconnect shortly');
    const origin = request.headers.origin;
    if (origin !== undefined && this.allowedOrigins !== '*' && !this.allowedOrigins.includes(origin)) {
      return refuse(socket, 403, 'AUTH_FORBIDDEN', `origin ${origin} is not allowed`);
    }
    let principal: Principal | undefined;
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      try {
        principal = await this.context.authenticator.authenticate({ upgradeAuthorization: authorization });
      } catch (error) {
        const failure = toClientFailure(error);
        const status = error instanceof AppError ? ERROR_CODES[error.code].http : 500;
        return refuse(socket, status, failure.code, failure.message);
      }
    }
    if (socket.destroyed) return;
    this.wss.handleUpgrade(request, socket, head, (ws) => this.onConnection(ws, principal, request, socket));
  }

  private onConnection(
    ws: StompWebSocket,
    principal: Principal | undefined,
    request: IncomingMessage,
    raw: Duplex,
  ): void {
    const session = new StompSession(adaptSocket(ws, new TickCork(() => raw)), this.context, {
      principal,
      remoteAddress: request.socket.remoteAddress,
    });
    ws.onMessageTooBig = () =>
      session.terminate(
        new StompError('STOMP_FRAME_TOO_LARGE', `a WebSocket message may carry at most ${this.maxMessageBytes} bytes`),
      );
    ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => session.receive(toBuffer(data)));
    ws.on('close', () => session.closed());
    ws.on('error', (error) => {
      this.context.log.debug({ err: error, session: session.id }, 'websocket error');
      session.closed();
    });
  }
}

// Shared, never mutated: ws copies the options it is given, so one object per send was garbage.
const AS_TEXT = Object.freeze({ binary: false });
const AS_BINARY = Object.freeze({ binary: true });

function adaptSocket(ws: StompWebSocket, cork: TickCork): SessionSocket {
  return {
    send: (data, text) => {
      cork.hold();
      ws.send(data, text ? AS_TEXT : AS_BINARY);
    },
    get bufferedAmount() {
      return ws.bufferedAmount;
    },
    close: (code, reason) => {
      ws.close(code, reason.slice(0, 120));
      // A peer that never answers the close handshake must not hold the socket forever.
      setTimeout(() => ws.terminate(), 5_000).unref();
    },
    ping: () => ws.ping(),
  };
}

function toBuffer(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** Answers an upgrade with a plain HTTP error carrying our JSON error body, then drops the socket. */
function refuse(socket: Duplex, status: number, code: string, message: string): void {
  if (socket.destroyed) return;
  const body = JSON.stringify({ error: { code, message } });
  socket.end(
    `HTTP/1.1 ${status} ${httpReason(status)}\r\n` +
      'Connection: close\r\nContent-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

function httpReason(status: number): string {
  const reasons: Record<number, string> = {
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    500: 'Internal Server Error',
    503: 'Service Unavailable',
  };
  return reasons[status] ?? 'Error';
}
