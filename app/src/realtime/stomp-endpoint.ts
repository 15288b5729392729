import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type Server as WsServer } from 'ws';
import { AppError } from '../errors/app-error.js';
import { ERROR_CODES } from '../errors/error-codes.js';
import type { Principal } from './auth/principal.js';
import { toClientFailure } from './error-frame.js';
import type { RealtimeContext } from './realtime-context.js';
import { StompSession } from './stomp-session.js';
import { StompWebSocket } from './stomp-websocket.js';
import { WsSessionSocket, type WsSessionSocketShared } from './ws-session-socket.js';

export const STOMP_PATH = '/ws';
/** Offered STOMP subprotocols, best first (the STOMP spec's WebSocket names). */
const SUBPROTOCOLS = ['v12.stomp', 'v11.stomp', 'v10.stomp'];

/**
 * The WebSocket door: takes HTTP upgrades on /ws, checks Origin and any Authorization header
 * before upgrading (so a bad token costs no WebSocket), and gives each socket a StompSession.
 */
export class StompEndpoint {
  private readonly wss: WsServer<typeof StompWebSocket>;
  private readonly shared: WsSessionSocketShared;
  private accepting = true;

  constructor(
    private readonly context: RealtimeContext,
    private readonly allowedOrigins: readonly string[] | '*',
  ) {
    const limits = context.config.limits;
    const maxMessageBytes = limits.maxFrameBytes * 4;
    this.shared = { log: context.log, maxMessageBytes };
    this.wss = new WebSocketServer<typeof StompWebSocket>({
      // Says why (a STOMP ERROR) before the close of a message over maxPayload.
      WebSocket: StompWebSocket,
      noServer: true,
      // Sessions are tracked by the SessionRegistry; a second set of sockets would only cost memory.
      clientTracking: false,
      // Compression costs CPU and memory per socket; chat frames are small. WsSessionSocket
      // writes finished frames beside `ws`, which is only safe while `ws` never queues (it does
      // when compressing).
      perMessageDeflate: false,
      // One WebSocket message may carry a few frames; anything far larger is abuse.
      maxPayload: maxMessageBytes,
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
    // A module-level listener: a closure here would keep this call's context (the upgrade
    // request included) alive for as long as the socket lives.
    socket.on('error', destroySocket);
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
    this.wss.handleUpgrade(request, socket, head, (ws) => this.onConnection(ws, principal, socket));
  }

  private onConnection(ws: StompWebSocket, principal: Principal | undefined, raw: Duplex): void {
    const socket = new WsSessionSocket(ws, raw, this.shared);
    socket.attach(new StompSession(socket, this.context, principal));
  }
}

function destroySocket(this: Duplex): void {
  this.destroy();
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
