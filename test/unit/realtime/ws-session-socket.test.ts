import { describe, expect, it } from '@jest/globals';
import { WebSocketServer } from 'ws';
import { StompWebSocket } from '../../../app/src/realtime/stomp-websocket.js';
import { WsSessionSocket } from '../../../app/src/realtime/ws-session-socket.js';
import { ONE_BUFFER_FRAME_MAX } from '../../../app/src/realtime/websocket-frame.js';
import { silentLog } from '../../support/session-harness.js';
import { messagesAfterUpgrade } from '../../support/upgraded-socket.js';

/**
 * Upgrades one connection to a WsSessionSocket over a real `ws` server, lets `act` send on it,
 * and returns what a real `ws` client received, in order, once `expected` messages arrived.
 */
async function sendAndReceive(
  expected: number,
  act: (socket: WsSessionSocket, ws: StompWebSocket) => void,
): Promise<Array<{ text: string; isBinary: boolean }>> {
  const wss = new WebSocketServer<typeof StompWebSocket>({
    noServer: true,
    WebSocket: StompWebSocket,
    perMessageDeflate: false,
  });
  const received = await messagesAfterUpgrade(expected, (request, raw, head) => {
    wss.handleUpgrade(request, raw, head, (ws) => {
      act(new WsSessionSocket(ws, raw, { log: silentLog, maxMessageBytes: 1 << 20 }), ws);
    });
  });
  return received.map(({ data, isBinary }) => ({ text: data.toString('latin1'), isBinary }));
}

describe('WsSessionSocket', () => {
  it('keeps the order of frames it writes itself and frames it leaves to ws (large ones, pings)', async () => {
    const large = 'L'.repeat(ONE_BUFFER_FRAME_MAX + 1);
    const sentByWs: number[] = [];
    const received = await sendAndReceive(5, (socket, ws) => {
      const send = ws.send.bind(ws);
      ws.send = ((data: Buffer, options: object) => {
        sentByWs.push(data.length);
        send(data, options);
      }) as typeof ws.send;
      socket.send(Buffer.from('first'), true);
      socket.send(Buffer.from(large), true);
      socket.send(Buffer.from('third'), false);
      ws.ping('between');
      socket.send(Buffer.from('fourth'), true);
      socket.send(Buffer.from('first'), true);
    });
    expect(received.map(({ text }) => (text.length > 20 ? `${text.length} bytes` : text))).toEqual([
      'first',
      `${large.length} bytes`,
      'third',
      'fourth',
      'first',
    ]);
    expect(received.map(({ isBinary }) => isBinary)).toEqual([false, false, true, false, false]);
    expect(received[1].text).toBe(large);
    // Only the frame above ONE_BUFFER_FRAME_MAX went through ws.send; the rest were written whole.
    expect(sentByWs).toEqual([large.length]);
  });

  it('sends the same buffer to several sockets, as a fan-out does', async () => {
    const shared = Buffer.from('MESSAGE\nsubscription:sub-0\n\nhello\0');
    const first = sendAndReceive(2, (socket) => {
      socket.send(shared, true);
      socket.send(shared, true);
    });
    const second = sendAndReceive(1, (socket) => socket.send(shared, true));
    for (const received of await Promise.all([first, second])) {
      for (const { text } of received) expect(text).toBe(shared.toString('latin1'));
    }
  });

  it('leaves a send after close to ws, which drops it without throwing', async () => {
    let sentAfterClose: (() => void) | undefined;
    const received = await sendAndReceive(1, (socket, ws) => {
      socket.send(Buffer.from('before'), true);
      ws.close(1000, 'bye');
      sentAfterClose = () => socket.send(Buffer.from('after'), true);
      expect(sentAfterClose).not.toThrow();
    });
    expect(received.map(({ text }) => text)).toEqual(['before']);
    expect(sentAfterClose).toBeDefined();
  });
});
