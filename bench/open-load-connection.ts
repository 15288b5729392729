import type { ClientProtocol, LoadConnection, LoadHandlers, StompLogin } from './load-connection.js';
import { SocketIoLoadConnection } from './socketio-load-connection.js';
import { StompLoadConnection } from './stomp-load-connection.js';

/** Opens one load connection in the protocol the scenario's system speaks. */
export function openLoadConnection(
  protocol: ClientProtocol,
  url: string,
  login: StompLogin,
  handlers: LoadHandlers,
  timeoutMs: number,
): Promise<LoadConnection> {
  return protocol === 'socketio'
    ? SocketIoLoadConnection.open(url, handlers, timeoutMs)
    : StompLoadConnection.open(url, login, handlers, timeoutMs);
}
