import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket } from 'ws';

export interface ReceivedMessage {
  readonly data: Buffer;
  readonly isBinary: boolean;
}

/**
 * Starts an HTTP server whose upgrades go to `onUpgrade` (which completes the WebSocket
 * handshake and then writes), connects a real `ws` client, and returns the first `count`
 * messages it received, in order. Everything is closed again before it returns.
 */
export async function messagesAfterUpgrade(
  count: number,
  onUpgrade: (request: IncomingMessage, raw: Duplex, head: Buffer) => void,
): Promise<ReceivedMessage[]> {
  const http = createServer();
  http.on('upgrade', onUpgrade);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  try {
    const client = new WebSocket(`ws://127.0.0.1:${(http.address() as AddressInfo).port}`, { maxPayload: 0 });
    return await new Promise((resolve, reject) => {
      const received: ReceivedMessage[] = [];
      client.on('message', (data: Buffer, isBinary: boolean) => {
        received.push({ data, isBinary });
        if (received.length === count) {
          client.terminate();
          resolve(received);
        }
      });
      client.on('error', reject);
      client.on('close', (code) => reject(new Error(`closed with ${code} after ${received.length} messages`)));
    });
  } finally {
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
  }
}
