import { createServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { SOCKETIO_EVENTS } from './socketio-events.js';

/**
 * Socket.IO 4 as a peer for the `socketio-*` scenarios: the pub/sub work of a chat room done
 * the way a Socket.IO application usually does it — clients `join` a room (acknowledged, so the
 * load worker knows the subscription is live), publishers emit a `publish` event and the server
 * re-emits the body to the room with `io.to(room).emit`. With BACKPLANE=redis the instances are
 * joined by the official Redis adapter (Redis Pub/Sub), as a Socket.IO deployment scales out.
 *
 * Options match what the bench gives the service: WebSocket transport only (no long-polling
 * upgrade dance), no compression, heart-beats far beyond the measurement window.
 *
 * Speaks to the bench's load workers only.
 */
const port = Number(process.env.PORT ?? '0');
const host = process.env.HOST ?? '127.0.0.1';
const useRedis = process.env.BACKPLANE === 'redis';
const HEARTBEAT_OFF_MS = 10 * 60 * 1000;

const http = createServer((request, response) => {
  response.writeHead(request.url === '/healthz' ? 200 : 404).end();
});
const io = new Server(http, {
  transports: ['websocket'],
  perMessageDeflate: false,
  httpCompression: false,
  serveClient: false,
  pingInterval: HEARTBEAT_OFF_MS,
  pingTimeout: HEARTBEAT_OFF_MS,
});

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
// The adapter needs two connections: one in subscriber mode can no longer PUBLISH.
const publisher = useRedis ? new Redis(redisUrl, { maxRetriesPerRequest: 1 }) : undefined;
const listener = publisher?.duplicate();
if (publisher !== undefined && listener !== undefined) {
  io.adapter(createAdapter(publisher, listener, { key: `${process.env.REDIS_KEY_PREFIX ?? 'bench:'}socket.io` }));
}

io.on('connection', (socket) => {
  socket.on(SOCKETIO_EVENTS.join, (room: string, ack?: () => void) => {
    void socket.join(room);
    ack?.();
  });
  socket.on(SOCKETIO_EVENTS.publish, (room: string, body: string, ack?: () => void) => {
    io.to(room).emit(SOCKETIO_EVENTS.message, body);
    ack?.();
  });
});
http.listen(port, host);

// A clean exit on SIGTERM, so --cpu-prof writes its profile.
process.on('SIGTERM', () => {
  io.disconnectSockets(true);
  publisher?.disconnect();
  listener?.disconnect();
  http.close();
  process.exit(0);
});
