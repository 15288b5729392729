import { describe, expect, it } from '@jest/globals';
import { decodePayloadHeader, encodePayload, receiptIdFor, receiptSendTimeUs } from '../../../bench/payload.js';

describe('payload', () => {
  it('encodes send time, publisher and sequence at the front of a fixed-size body', () => {
    const body = encodePayload(123_456_789_012, 3, 42, 128);
    expect(body.length).toBe(128);
    expect(body.toString('latin1').startsWith('123456789012:3:42:x')).toBe(true);
    expect(decodePayloadHeader(body)).toEqual({ sendTimeUs: 123_456_789_012, publisher: 3, seq: 42 });
  });

  it('truncates fractional microseconds', () => {
    expect(decodePayloadHeader(encodePayload(10.9, 0, 0, 32))?.sendTimeUs).toBe(10);
  });

  it('returns undefined for bodies that do not start with three numbers', () => {
    for (const text of ['hello', ':1:2:', '12:3', '12:3:4', '12::4:', '12:x:4:', '']) {
      expect(decodePayloadHeader(Buffer.from(text))).toBeUndefined();
    }
  });

  it('refuses a size too small for the header', () => {
    expect(() => encodePayload(123_456_789, 1, 1, 8)).toThrow(RangeError);
  });

  it('round-trips the send time through a receipt id', () => {
    const id = receiptIdFor(7, 99_000_001.4);
    expect(id).toBe('7@99000001');
    expect(receiptSendTimeUs(id)).toBe(99_000_001);
    expect(receiptSendTimeUs('sub-3')).toBeUndefined();
  });
});
