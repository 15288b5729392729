import { describe, expect, it } from '@jest/globals';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { encodeServerFrame, LastFrameMemo } from '../../../app/src/realtime/websocket-frame.js';

/**
 * Writes the frames straight onto an upgraded socket, as WsSessionSocket does, and returns what
 * a real `ws` client received.
 */
async function receive(frames: Buffer[]): Promise<Array<{ data: Buffer; isBinary: boolean }>> {
  const http = createServer();
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  http.on('upgrade', (request, socket, head) => {
    wss.handleUpgrade(request, socket, head, () => socket.write(Buffer.concat(frames)));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  try {
    const client = new WebSocket(`ws://127.0.0.1:${(http.address() as AddressInfo).port}`, { maxPayload: 0 });
    return await new Promise((resolve, reject) => {
      const messages: Array<{ data: Buffer; isBinary: boolean }> = [];
      client.on('message', (data: Buffer, isBinary: boolean) => {
        messages.push({ data, isBinary });
        if (messages.length === frames.length) {
          client.terminate();
          resolve(messages);
        }
      });
      client.on('error', reject);
      client.on('close', (code) => reject(new Error(`closed with ${code} after ${messages.length} messages`)));
    });
  } finally {
    wss.close();
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
  }
}

describe('encodeServerFrame', () => {
  it.each([0, 1, 125, 126, 127, 16_384, 65_535, 65_536, 70_000])(
    'frames a %i-byte payload so that a ws client receives it as sent',
    async (length) => {
      const payload = Buffer.alloc(length, 'x');
      if (length > 0) payload[length - 1] = 0x00;
      const [text, binary] = await receive([encodeServerFrame(payload, true), encodeServerFrame(payload, false)]);
      expect(text.isBinary).toBe(false);
      expect(text.data.equals(payload)).toBe(true);
      expect(binary.isBinary).toBe(true);
      expect(binary.data.equals(payload)).toBe(true);
    },
  );
});

describe('LastFrameMemo', () => {
  it('frames a payload sent again once, and frames anew for another payload or type', () => {
    const memo = new LastFrameMemo();
    const payload = Buffer.from('MESSAGE\n\nhi\0');
    const first = memo.frameOf(payload, true);
    expect(memo.frameOf(payload, true)).toBe(first);
    const binary = memo.frameOf(payload, false);
    expect(binary).not.toBe(first);
    expect(binary[0]).toBe(0x82);
    // Equal bytes in another buffer are another payload: only the same buffer is reused.
    expect(memo.frameOf(Buffer.from(payload), false)).not.toBe(binary);
    expect(memo.frameOf(payload, true)).toEqual(first);
  });
});
