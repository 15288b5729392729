import type { Server } from 'node:http';
import type { INestApplication, WebSocketAdapter, WsMessageHandler } from '@nestjs/common';
import type { AppSendContext, SendReply } from '../realtime/app-destinations.js';
import type { DestinationRoutes } from '../realtime/destination-routes.js';
import { RealtimeServer } from '../realtime/realtime-server.js';
import { isSendPattern } from './stomp-gateway.decorators.js';

/**
 * STOMP over WebSocket (on `ws`) as Nest's WebSocket adapter, installed with
 * `app.useWebSocketAdapter(new StompWsAdapter(app))` the way @nestjs/platform-ws plugs in.
 *
 * The protocol stays in realtime/ (session state machine, codec, fan-out); this class only
 * hands Nest's gateway handlers to its route table. One difference from the Socket.IO and ws
 * adapters: STOMP routes belong to the server, not to each socket. So the "client" Nest binds
 * handlers to is the route table itself, once per gateway at bootstrap, rather than every
 * connection (which would cost a handler list per idle session and a bind per CONNECT). The
 * per-frame context (principal, destination, params, headers, body) reaches the handler as
 * the message data, which is what guards and parameter decorators read.
 */
export class StompWsAdapter implements WebSocketAdapter<RealtimeServer, DestinationRoutes> {
  private realtime: RealtimeServer | undefined;

  constructor(private readonly app: INestApplication) {}

  /** Nest asks once per port and path; every gateway here shares the one STOMP endpoint. */
  create(): RealtimeServer {
    if (this.realtime === undefined) {
      const realtime = this.app.get(RealtimeServer, { strict: false });
      realtime.attach(this.app.getHttpServer() as Server);
      this.realtime = realtime;
    }
    return this.realtime;
  }

  bindClientConnect(server: RealtimeServer, bind: (routes: DestinationRoutes) => void): void {
    bind(server.routes);
  }

  /**
   * Each handler is Nest's wrapped method (guards, pipes, filters, interceptors resolved once
   * at bootstrap by its WsContextCreator); `/app/…` patterns become SEND handlers, `/topic/…`
   * and `/user/queue/…` patterns SUBSCRIBE authorizers (resolving means allowed).
   */
  bindMessageHandlers(routes: DestinationRoutes, handlers: WsMessageHandler[]): void {
    for (const { message, callback } of handlers) {
      if (typeof message !== 'string') throw new Error('STOMP gateway patterns must be strings');
      const call = callback as (context: AppSendContext) => Promise<unknown>;
      if (isSendPattern(message)) {
        routes.send(message, async (context) => toReply(await call(context)));
      } else {
        routes.subscribe(message, async (context) => {
          await call(context);
        });
      }
    }
  }

  /** After the drain (RealtimeModule's shutdown hook has closed the sessions already). */
  close(server: RealtimeServer): void {
    server.close();
  }

  /** Nothing beyond the server to release (Nest calls this after close). */
  async dispose(): Promise<void> {}
}

function toReply(result: unknown): SendReply | void {
  if (result === undefined || result === null) return undefined;
  if (typeof result !== 'object') throw new Error('a STOMP handler returns nothing or a SendReply');
  return result as SendReply;
}
