import { describe, expect, it } from '@jest/globals';
import { encodeCommand } from '../../../app/src/redis/resp-encoding.js';

describe('encodeCommand (RESP2)', () => {
  it('writes the argument count, then each part as a length-prefixed bulk string', () => {
    expect(encodeCommand(['SET'], ['k', 'v']).toString('latin1')).toBe('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n');
  });

  it('counts UTF-8 bytes, not characters, for text', () => {
    const encoded = encodeCommand(['GET'], ['é€😀']);
    expect(encoded).toEqual(
      Buffer.concat([Buffer.from('*2\r\n$3\r\nGET\r\n$9\r\n'), Buffer.from('é€😀', 'utf8'), Buffer.from('\r\n')]),
    );
  });

  it('copies raw bytes unchanged, NUL, CR, LF and invalid UTF-8 included', () => {
    const raw = Buffer.from([0x00, 0x0d, 0x0a, 0xff, 0xfe, 0x24]);
    const encoded = encodeCommand(['ECHO'], [raw]);
    expect(encoded).toEqual(Buffer.concat([Buffer.from('*2\r\n$4\r\nECHO\r\n$6\r\n'), raw, Buffer.from('\r\n')]));
  });

  it('writes numbers as decimal text and empty parts as zero-length strings', () => {
    const encoded = encodeCommand(['EVALSHA', 'abc', 2], [1234567890123, 0, '', Buffer.alloc(0), -5]);
    expect(encoded.toString('latin1')).toBe(
      '*8\r\n$7\r\nEVALSHA\r\n$3\r\nabc\r\n$1\r\n2\r\n$13\r\n1234567890123\r\n$1\r\n0\r\n$0\r\n\r\n$0\r\n\r\n$2\r\n-5\r\n',
    );
  });

  it('is exactly as long as what it wrote, whatever the argument lengths (no slack at the end)', () => {
    for (const length of [0, 9, 10, 99, 100, 65_536]) {
      const value = Buffer.alloc(length, 0x61);
      const encoded = encodeCommand(['X'], [value, 'b'.repeat(length)]);
      const expected = `*3\r\n$1\r\nX\r\n$${length}\r\n${'a'.repeat(length)}\r\n$${length}\r\n${'b'.repeat(length)}\r\n`;
      expect(encoded.toString('latin1')).toBe(expected);
    }
  });
});
