import { describe, expect, it } from '@jest/globals';
import { WebSocketServer } from 'ws';
import { encodeServerFrame, LastFrameMemo } from '../../../app/src/realtime/websocket-frame.js';
import { messagesAfterUpgrade } from '../../support/upgraded-socket.js';

/** Writes the frames straight onto an upgraded socket, as WsSessionSocket does. */
function receive(frames: Buffer[]) {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  return messagesAfterUpgrade(frames.length, (request, raw, head) => {
    wss.handleUpgrade(request, raw, head, () => raw.write(Buffer.concat(frames)));
  });
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
