import { describe, expect, it } from '@jest/globals';
import type { StompCommand, StompVersion } from '../../../app/src/stomp/frame.js';
import { encodeFrame, escapeHeaderValue, HEARTBEAT } from '../../../app/src/stomp/serializer.js';
import { byteByByte, frameEvent, parseChunks } from './parse-helpers.js';

const SPECIAL = 'a:b\nc\\d\re';

describe('escapeHeaderValue', () => {
  it.each<[StompVersion, StompCommand, string, string]>([
    ['1.2', 'SEND', SPECIAL, 'a\\cb\\nc\\\\d\\re'],
    ['1.1', 'SEND', SPECIAL, 'a\\cb\\nc\\\\d\re'],
    ['1.2', 'MESSAGE', 'plain-value', 'plain-value'],
    ['1.2', 'MESSAGE', '\\\\', '\\\\\\\\'],
    ['1.2', 'MESSAGE', ':::', '\\c\\c\\c'],
    ['1.0', 'SEND', 'a:b\\c', 'a:b\\c'],
    ['1.2', 'CONNECT', 'a:b\\c', 'a:b\\c'],
    ['1.2', 'CONNECTED', 'a:b\\c', 'a:b\\c'],
    ['1.1', 'CONNECTED', 'a:b\\c', 'a:b\\c'],
  ])('%s %s %j → %j', (version, command, value, escaped) => {
    expect(escapeHeaderValue(value, version, command)).toBe(escaped);
  });

  it.each<[StompVersion, StompCommand]>([
    ['1.0', 'MESSAGE'],
    ['1.2', 'CONNECT'],
    ['1.2', 'CONNECTED'],
  ])('replaces CR and LF where nothing is escaped (%s %s), so a value cannot inject lines', (version, command) => {
    expect(escapeHeaderValue('a\nb\r\nc:d', version, command)).toBe('a\uFFFDb\uFFFD\uFFFDc:d');
  });
});

describe('encodeFrame', () => {
  it('writes command, headers in order, blank line, body, NUL and adds content-length', () => {
    const frame = encodeFrame(
      'SEND',
      [
        ['destination', '/q'],
        ['content-type', 'text/plain'],
      ],
      'hi',
    );
    expect(frame.toString('latin1')).toBe('SEND\ndestination:/q\ncontent-type:text/plain\ncontent-length:2\n\nhi\0');
  });

  it('omits content-length for an empty body', () => {
    expect(encodeFrame('DISCONNECT', []).toString('latin1')).toBe('DISCONNECT\n\n\0');
    expect(encodeFrame('RECEIPT', [['receipt-id', '1']], Buffer.alloc(0)).toString('latin1')).toBe(
      'RECEIPT\nreceipt-id:1\n\n\0',
    );
  });

  it('keeps a caller-provided content-length instead of adding a second one', () => {
    expect(encodeFrame('SEND', [['content-length', '3']], 'abc').toString('latin1')).toBe(
      'SEND\ncontent-length:3\n\nabc\0',
    );
  });

  it('counts content-length in bytes, not characters', () => {
    expect(encodeFrame('SEND', [], 'é🎉').toString('utf8')).toBe('SEND\ncontent-length:6\n\né🎉\0');
  });

  it('escapes names and values per version, STOMP 1.2 by default', () => {
    expect(encodeFrame('SEND', [['k:1', 'v\n2']]).toString('latin1')).toBe('SEND\nk\\c1:v\\n2\n\n\0');
    expect(encodeFrame('SEND', [['k', 'a\rb']], '', '1.1').toString('latin1')).toBe('SEND\nk:a\rb\n\n\0');
    expect(encodeFrame('SEND', [['k', 'a:b\\']], '', '1.0').toString('latin1')).toBe('SEND\nk:a:b\\\n\n\0');
    expect(encodeFrame('CONNECTED', [['server', 'x:1']]).toString('latin1')).toBe('CONNECTED\nserver:x:1\n\n\0');
  });

  it('replaces colons and line breaks in names where nothing is escaped', () => {
    expect(encodeFrame('CONNECT', [['a:b\n', 'v']]).toString('utf8')).toBe('CONNECT\na\uFFFDb\uFFFD:v\n\n\0');
    expect(encodeFrame('SEND', [['a:b', 'v']], '', '1.0').toString('utf8')).toBe('SEND\na\uFFFDb:v\n\n\0');
  });

  it('cannot be made to inject headers or frames into a STOMP 1.0 stream', () => {
    const hostile = 'x\n\nforged body\0MESSAGE\ndestination:/secret\n\n';
    const encoded = encodeFrame('MESSAGE', [['x-note', hostile]], 'real body', '1.0');
    const outcome = parseChunks([encoded], { version: '1.0' });
    expect(outcome.error).toBeUndefined();
    expect(outcome.events).toHaveLength(1);
    expect(outcome.events[0]).toMatchObject({ command: 'MESSAGE', body: Buffer.from('real body') });
  });

  it('copies a binary body with NULs verbatim', () => {
    const body = Buffer.from([0, 1, 0, 255, 0]);
    const frame = encodeFrame('MESSAGE', [], body);
    expect(frame.subarray(frame.length - 6)).toEqual(Buffer.from([0, 1, 0, 255, 0, 0]));
  });

  it('HEARTBEAT is a single LF', () => {
    expect(HEARTBEAT).toEqual(Buffer.from('\n'));
  });
});

describe('encodeFrame → StompParser round trips', () => {
  const binary = Buffer.from([0, 0x0a, 0x0d, 0x3a, 0x5c, 0xff, 0, 0xc3, 0x28, 0]);
  const cases: [StompVersion, StompCommand, [string, string][], Buffer][] = [
    [
      '1.2',
      'SEND',
      [
        ['dest:ination', 'a:b\nc\\d\re'],
        ['\\', '\r\n'],
        ['', ''],
      ],
      binary,
    ],
    [
      '1.2',
      'MESSAGE',
      [
        ['x', 'trailing CR\r'],
        ['y', 'trailing backslash\\'],
      ],
      Buffer.from('text'),
    ],
    [
      '1.1',
      'SEND',
      [
        ['dest:ination', 'a:b\nc\\d'],
        ['\\', '\n'],
      ],
      binary,
    ],
    ['1.1', 'ERROR', [['message', 'CR in the middle \r is kept']], Buffer.alloc(0)],
    [
      '1.0',
      'SEND',
      [
        ['destination', 'a:b\\n'],
        ['k', 'v:w'],
      ],
      binary,
    ],
    [
      '1.2',
      'CONNECT',
      [
        ['accept-version', '1.0,1.1,1.2'],
        ['passcode', 'p\\a:ss'],
      ],
      Buffer.alloc(0),
    ],
    [
      '1.2',
      'CONNECTED',
      [
        ['version', '1.2'],
        ['server', 'chat/1.0'],
      ],
      Buffer.alloc(0),
    ],
  ];

  it.each(cases)('STOMP %s %s', (version, command, headers, body) => {
    const encoded = encodeFrame(command, headers, body, version);
    const expectedHeaders: [string, string][] =
      body.length > 0 ? [...headers, ['content-length', String(body.length)]] : headers;
    const expected = { events: [frameEvent(command, expectedHeaders, body)] };
    expect(parseChunks([encoded], { version })).toEqual(expected);
    expect(parseChunks(byteByByte(encoded), { version })).toEqual(expected);
  });
});
