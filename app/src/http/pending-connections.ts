import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';

export interface PendingConnectionLimits {
  /** A connection must have sent its whole request head within this (408 and closed otherwise). */
  readonly headersTimeoutMs: number;
  /** Connections from one address still sending their request head; beyond, 429 and closed. 0: no cap. */
  readonly maxPendingPerAddress: number;
}

/**
 * Guards the HTTP listener against half-open requests (slowloris), the WebSocket upgrade
 * included: a connection counts as pending from accept until its first request head is complete
 * (`request` or `upgrade`). Node's own `headersTimeout` is only checked every 30 s and the
 * server has no per-address bound, so a client could otherwise hold many sockets for over a
 * minute each. Timers and counts exist only while a connection is pending; a keep-alive
 * connection's later requests fall to Node's `headersTimeout`, set to the same value.
 */
export function guardPendingConnections(server: Server, limits: PendingConnectionLimits): void {
  const pendingByAddress = new Map<string, number>();
  const pending = new Map<Socket, () => void>();

  const settle = (socket: Socket): void => pending.get(socket)?.();

  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const count = (pendingByAddress.get(address) ?? 0) + 1;
    if (limits.maxPendingPerAddress > 0 && count > limits.maxPendingPerAddress) {
      return refuse(socket, '429 Too Many Requests');
    }
    pendingByAddress.set(address, count);
    const timer = setTimeout(() => refuse(socket, '408 Request Timeout'), limits.headersTimeoutMs);
    timer.unref();
    const release = (): void => {
      if (!pending.delete(socket)) return;
      clearTimeout(timer);
      // A WebSocket keeps its socket for hours: the listener would keep this closure and the
      // cleared timer with it (about 0.3 KiB per idle connection).
      socket.removeListener('close', release);
      const left = (pendingByAddress.get(address) ?? 1) - 1;
      if (left > 0) pendingByAddress.set(address, left);
      else pendingByAddress.delete(address);
    };
    pending.set(socket, release);
    socket.once('close', release);
  });
  server.prependListener('request', (request: IncomingMessage) => settle(request.socket));
  server.prependListener('upgrade', (request: IncomingMessage) => settle(request.socket));
  if (limits.headersTimeoutMs < server.requestTimeout || server.requestTimeout === 0) {
    server.headersTimeout = limits.headersTimeoutMs;
  }
}

/** A bare status line (no body: nothing was parsed yet to answer), then the socket goes. */
function refuse(socket: Socket, status: string): void {
  if (socket.destroyed) return;
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`, () => socket.destroy());
  // A peer that does not read its answer must not keep the socket either.
  setTimeout(() => socket.destroy(), 1_000).unref();
}
