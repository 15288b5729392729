import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { OutgoingMessage } from '../../../app/src/backplane/backplane.port.js';
import {
  decodeFrame,
  encodeContent,
  encodeFrame,
  WIRE_VERSION,
} from '../../../app/src/backplane/redis-message-codec.js';

const message: OutgoingMessage = {
  destination: '/topic/rooms.42',
  headers: [
    ['content-type', 'text/plain'],
    ['x-b', 'ü'],
    ['x-b', ''],
  ],
  body: Buffer.from([0x68, 0x00, 0x69]),
};

describe('backplane wire codec', () => {
  it('round-trips a sequenced message as the publish script frames it', () => {
    const frame = encodeFrame(17, 1_700_000_000_123, encodeContent('abc-1', message));
    expect(decodeFrame(frame)).toEqual({ ...message, id: 'abc-1', seq: 17, publishedAt: 1_700_000_000_123 });
  });

  it('starts with the text meta the Lua script prepends, then the version byte', () => {
    const frame = encodeFrame(3, 99, encodeContent('i', message));
    expect(frame.subarray(0, 5).toString()).toBe('3 99 ');
    expect(frame[5]).toBe(WIRE_VERSION);
  });

  it('marks ephemeral messages', () => {
    const decoded = decodeFrame(encodeFrame(0, 5, encodeContent('e', { ...message, ephemeral: true })));
    expect(decoded.ephemeral).toBe(true);
    expect(decoded.seq).toBe(0);
    expect(decodeFrame(encodeFrame(1, 5, encodeContent('s', message))).ephemeral).toBeUndefined();
  });

  it('copies the body out of the frame', () => {
    const frame = encodeFrame(1, 1, encodeContent('c', message));
    const decoded = decodeFrame(frame);
    frame.fill(0);
    expect([...decoded.body]).toEqual([0x68, 0x00, 0x69]);
  });

  it('is compact: 7 bytes plus 8 per header beyond the bytes it carries', () => {
    const id = 'AbCdEfGh-1';
    const carried =
      Buffer.byteLength(id) +
      Buffer.byteLength(message.destination) +
      message.headers.reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + Buffer.byteLength(value), 0) +
      message.body.length;
    expect(encodeContent(id, message).length - carried).toBe(7 + 8 * message.headers.length);
  });

  it.each([
    ['empty', Buffer.alloc(0)],
    ['no meta separator', Buffer.from('12')],
    ['bad digit', Buffer.from('1x 2 ')],
    ['truncated content', encodeFrame(1, 1, encodeContent('t', message)).subarray(0, 20)],
    ['unknown version', Buffer.concat([Buffer.from('1 1 '), Buffer.from([9, 0, 0, 0, 0, 0, 0])])],
  ])('rejects a frame: %s', (_, frame) => {
    expect(() => decodeFrame(frame)).toThrow(/backplane/);
  });

  it('refuses what the format cannot carry', () => {
    expect(() => encodeContent('x'.repeat(256), message)).toThrow(RangeError);
    expect(() => encodeContent('id', { ...message, destination: 'd'.repeat(70_000) })).toThrow(RangeError);
  });

  it('round-trips any headers and body', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.array(fc.tuple(fc.string(), fc.string({ unit: 'grapheme' })), { maxLength: 8 }),
        fc.uint8Array({ maxLength: 300 }),
        fc.nat(),
        fc.boolean(),
        (destination, headers, body, seq, ephemeral) => {
          const input = { destination, headers, body: Buffer.from(body), ...(ephemeral ? { ephemeral } : {}) };
          const decoded = decodeFrame(encodeFrame(seq, 1_700_000_000_000, encodeContent('id-1', input)));
          expect(decoded).toEqual({ ...input, id: 'id-1', seq, publishedAt: 1_700_000_000_000 });
        },
      ),
    );
  });
});
