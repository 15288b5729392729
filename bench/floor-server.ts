import { createServer } from 'node:http';
import { Redis } from 'ioredis';
import { WebSocket, WebSocketServer } from 'ws';
import type { StompFrame } from '../app/src/stomp/frame.js';
import { StompParser } from '../app/src/stomp/parser.js';
import { encodeFrame } from '../app/src/stomp/serializer.js';

/**
 * The least a STOMP fan-out server can do, for the `floor-*` scenarios: no auth, no rooms, no
 * sequences, no persistence, no metrics — CONNECT, SUBSCRIBE, SEND, and a MESSAGE frame encoded
 * once per SEND and written to every local subscriber, through the same `ws` library the service
 * uses. With BACKPLANE=redis each SEND is one PUBLISH and each instance writes what its channel
 * subscription receives, which is the least any Redis-joined instances can do.
 *
 * Measured next to the service with the same load, it shows what this machine charges for the
 * work itself: syscalls per delivery, and a second process woken for every message. What the
 * service costs above the floor is ours to reduce; what the floor's own two-instance figure costs
 * above its one-instance figure is the machine's.
 *
 * Speaks to the bench's load workers only; not a STOMP implementation for anything else.
 */
const port = Number(process.env.PORT ?? '0');
const host = process.env.HOST ?? '127.0.0.1';
const useRedis = process.env.BACKPLANE === 'redis';
const channel = `${process.env.REDIS_KEY_PREFIX ?? 'floor:'}fanout`;

const subscribers = new Set<WebSocket>();

function fanOut(body: Buffer): void {
  const frame = encodeFrame(
    'MESSAGE',
    [
      ['destination', '/topic/bench'],
      ['subscription', 'sub-0'],
    ],
    body,
  );
  for (const socket of subscribers) socket.send(frame);
}

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
// Two connections: one in subscriber mode can no longer PUBLISH.
const publisher = useRedis ? new Redis(redisUrl, { maxRetriesPerRequest: 1 }) : undefined;
const listener = useRedis ? new Redis(redisUrl, { maxRetriesPerRequest: 1 }) : undefined;
if (listener !== undefined) {
  listener.on('messageBuffer', (_channel: Buffer, body: Buffer) => fanOut(body));
  void listener.subscribe(channel);
}

function onFrame(socket: WebSocket, frame: StompFrame): void {
  const receipt = frame.headers.get('receipt');
  switch (frame.command) {
    case 'CONNECT':
    case 'STOMP':
      socket.send(
        encodeFrame('CONNECTED', [
          ['version', '1.2'],
          ['heart-beat', '0,0'],
        ]),
      );
      return;
    case 'SUBSCRIBE':
      subscribers.add(socket);
      break;
    case 'SEND':
      if (publisher !== undefined) void publisher.publish(channel, frame.body);
      else fanOut(frame.body);
      break;
    default:
      break;
  }
  if (receipt !== undefined) socket.send(encodeFrame('RECEIPT', [['receipt-id', receipt]]));
}

const http = createServer((request, response) => {
  response.writeHead(request.url === '/healthz' ? 200 : 404).end();
});
const wss = new WebSocketServer({ server: http, path: '/ws', perMessageDeflate: false });
wss.on('connection', (socket) => {
  const parser = new StompParser({ onFrame: (frame) => onFrame(socket, frame), onHeartbeat: () => undefined });
  socket.on('message', (data: Buffer) => {
    try {
      parser.push(data);
    } catch {
      socket.terminate();
    }
  });
  socket.on('close', () => subscribers.delete(socket));
  socket.on('error', () => socket.terminate());
});
http.listen(port, host);

// A clean exit on SIGTERM, so --cpu-prof writes its profile.
process.on('SIGTERM', () => {
  for (const socket of subscribers) socket.terminate();
  publisher?.disconnect();
  listener?.disconnect();
  http.close();
  process.exit(0);
});
