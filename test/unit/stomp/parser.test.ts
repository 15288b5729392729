import { describe, expect, it } from '@jest/globals';
import type { StompCommand, StompFrame, StompVersion } from '../../../app/src/stomp/frame.js';
import { CLIENT_COMMANDS, SERVER_COMMANDS } from '../../../app/src/stomp/frame.js';
import type { StompLimits } from '../../../app/src/stomp/limits.js';
import { StompParser } from '../../../app/src/stomp/parser.js';
import { StompError, type StompErrorCode } from '../../../app/src/stomp/stomp-error.js';
import {
  byteByByte,
  everyTwoWaySplit,
  frameEvent,
  HEARTBEAT_EVENT,
  parseChunks,
  stompErrorCode,
  toBytes,
  type ParseEvent,
} from './parse-helpers.js';

interface ParserCase {
  readonly name: string;
  readonly input: string | Buffer;
  readonly version?: StompVersion;
  readonly limits?: Partial<StompLimits>;
  readonly events: ParseEvent[];
  readonly error?: StompErrorCode;
}

/** The same outcome is required whole, split in two at every position, and byte by byte. */
function expectSameOutcomeHoweverChunked(testCase: ParserCase): void {
  const options = { version: testCase.version, limits: testCase.limits };
  const expected =
    testCase.error === undefined ? { events: testCase.events } : { events: testCase.events, error: testCase.error };
  const input = toBytes(testCase.input);
  expect(parseChunks([input], options)).toEqual(expected);
  for (const chunks of everyTwoWaySplit(input)) expect(parseChunks(chunks, options)).toEqual(expected);
  expect(parseChunks(byteByByte(input), options)).toEqual(expected);
}

const VALID_FRAMES: ParserCase[] = [
  {
    name: 'SEND with a NUL-terminated body',
    input: 'SEND\ndestination:/topic/room.1\ncontent-type:text/plain\n\nhello\0',
    events: [
      frameEvent(
        'SEND',
        [
          ['destination', '/topic/room.1'],
          ['content-type', 'text/plain'],
        ],
        'hello',
      ),
    ],
  },
  {
    name: 'CRLF line endings',
    input: 'SEND\r\ndestination:/q\r\n\r\nhello\0',
    events: [frameEvent('SEND', [['destination', '/q']], 'hello')],
  },
  {
    name: 'no headers, empty body',
    input: 'DISCONNECT\n\n\0',
    events: [frameEvent('DISCONNECT')],
  },
  {
    name: 'content-length body containing NULs',
    input: 'SEND\ndestination:/q\ncontent-length:5\n\nab\0\0c\0',
    events: [
      frameEvent(
        'SEND',
        [
          ['destination', '/q'],
          ['content-length', '5'],
        ],
        Buffer.from('ab\0\0c'),
      ),
    ],
  },
  {
    name: 'content-length 0',
    input: 'SEND\ncontent-length:0\n\n\0',
    events: [frameEvent('SEND', [['content-length', '0']])],
  },
  {
    name: 'content-length with leading zeros',
    input: 'SEND\ncontent-length:003\n\nabc\0',
    events: [frameEvent('SEND', [['content-length', '003']], 'abc')],
  },
  {
    name: 'binary body with every byte value after content-length',
    input: Buffer.concat([
      Buffer.from('MESSAGE\ncontent-length:256\n\n'),
      Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
      Buffer.from([0]),
    ]),
    events: [frameEvent('MESSAGE', [['content-length', '256']], Buffer.from(Array.from({ length: 256 }, (_, i) => i)))],
  },
  {
    name: 'body with EOLs inside',
    input: 'SEND\n\nline 1\r\nline 2\n\n\0',
    events: [frameEvent('SEND', [], 'line 1\r\nline 2\n\n')],
  },
  {
    name: 'several frames in one chunk with LF and CRLF heart-beats between, before and after',
    input:
      '\n\r\nSEND\ndestination:/a\n\none\0\n\r\n\nMESSAGE\nsubscription:s\ncontent-length:3\n\ntwo\0RECEIPT\nreceipt-id:7\n\n\0\r\n',
    events: [
      HEARTBEAT_EVENT,
      HEARTBEAT_EVENT,
      frameEvent('SEND', [['destination', '/a']], 'one'),
      HEARTBEAT_EVENT,
      HEARTBEAT_EVENT,
      HEARTBEAT_EVENT,
      frameEvent(
        'MESSAGE',
        [
          ['subscription', 's'],
          ['content-length', '3'],
        ],
        'two',
      ),
      frameEvent('RECEIPT', [['receipt-id', '7']]),
      HEARTBEAT_EVENT,
    ],
  },
  {
    name: 'heart-beats only',
    input: '\n\n\r\n\n',
    events: [HEARTBEAT_EVENT, HEARTBEAT_EVENT, HEARTBEAT_EVENT, HEARTBEAT_EVENT],
  },
  {
    name: 'repeated header: the first value wins',
    input: 'MESSAGE\nfoo:first\nbar:x\nfoo:second\n\n\0',
    events: [
      frameEvent('MESSAGE', [
        ['foo', 'first'],
        ['bar', 'x'],
      ]),
    ],
  },
  {
    name: 'repeated content-length: the first one delimits the body',
    input: 'SEND\ncontent-length:2\ncontent-length:5\n\nab\0',
    events: [frameEvent('SEND', [['content-length', '2']], 'ab')],
  },
  {
    name: 'header split at the first colon, raw colons kept in the value',
    input: 'SEND\nurl:http://host:80/a:b\n\n\0',
    events: [frameEvent('SEND', [['url', 'http://host:80/a:b']])],
  },
  {
    name: 'empty value and empty name',
    input: 'SEND\nempty:\n:nameless\n\n\0',
    events: [
      frameEvent('SEND', [
        ['empty', ''],
        ['', 'nameless'],
      ]),
    ],
  },
  {
    name: 'UTF-8 header names and values',
    input: 'SEND\nnäme:wört 日本 🎉\n\n\0',
    events: [frameEvent('SEND', [['näme', 'wört 日本 🎉']])],
  },
  {
    name: 'a CR inside a value is kept, only the one before LF is an EOL',
    input: 'SEND\nk:a\rb\r\n\n\0',
    events: [frameEvent('SEND', [['k', 'a\rb']])],
  },
  {
    name: 'STOMP 1.2 unescapes \\r \\n \\c \\\\ in names and values',
    input: 'SEND\na\\cb:x\\ny\\rz\\\\w\\c\n\n\0',
    events: [frameEvent('SEND', [['a:b', 'x\ny\rz\\w:']])],
  },
  {
    name: 'STOMP 1.1 unescapes \\n \\c \\\\',
    input: 'SEND\na\\cb:x\\ny\\\\w\\c\n\n\0',
    version: '1.1',
    events: [frameEvent('SEND', [['a:b', 'x\ny\\w:']])],
  },
  {
    name: 'STOMP 1.0 does not unescape at all',
    input: 'SEND\nk\\c:a\\nb\\t\\\n\n\0',
    version: '1.0',
    events: [frameEvent('SEND', [['k\\c', 'a\\nb\\t\\']])],
  },
  {
    name: 'CONNECT is never unescaped, even in 1.2',
    input: 'CONNECT\naccept-version:1.2\npasscode:a\\nb\\t\\\n\n\0',
    events: [
      frameEvent('CONNECT', [
        ['accept-version', '1.2'],
        ['passcode', 'a\\nb\\t\\'],
      ]),
    ],
  },
  {
    name: 'CONNECTED is never unescaped, even in 1.2',
    input: 'CONNECTED\nserver:x\\cy\n\n\0',
    events: [frameEvent('CONNECTED', [['server', 'x\\cy']])],
  },
  {
    name: 'STOMP (the 1.2 alias of CONNECT) is unescaped like other frames',
    input: 'STOMP\nlogin:a\\cb\n\n\0',
    events: [frameEvent('STOMP', [['login', 'a:b']])],
  },
];

const PROTOCOL_ERRORS: ParserCase[] = [
  { name: 'unknown command', input: 'FOO\n\n\0', events: [], error: 'STOMP_BAD_COMMAND' },
  { name: 'lower-case command', input: 'send\n\n\0', events: [], error: 'STOMP_BAD_COMMAND' },
  { name: 'command with a trailing blank', input: 'SEND \n\n\0', events: [], error: 'STOMP_BAD_COMMAND' },
  { name: 'a lone CR before a command', input: '\rSEND\n\n\0', events: [], error: 'STOMP_BAD_COMMAND' },
  {
    name: 'events before the error are still delivered',
    input: 'SEND\n\n\0\nBOGUS\n\n\0',
    events: [frameEvent('SEND'), HEARTBEAT_EVENT],
    error: 'STOMP_BAD_COMMAND',
  },
  { name: 'header line without colon', input: 'SEND\nnocolon\n\n\0', events: [], error: 'STOMP_MALFORMED_HEADER' },
  { name: 'colon only after the CR', input: 'SEND\nabc\r\nx:y\n\n\0', events: [], error: 'STOMP_MALFORMED_HEADER' },
  { name: 'undefined escape \\t', input: 'SEND\nk:a\\tb\n\n\0', events: [], error: 'STOMP_BAD_ESCAPE' },
  { name: 'trailing lone backslash', input: 'SEND\nk:ab\\\n\n\0', events: [], error: 'STOMP_BAD_ESCAPE' },
  { name: 'trailing backslash before CRLF', input: 'SEND\nk:ab\\\r\n\n\0', events: [], error: 'STOMP_BAD_ESCAPE' },
  { name: 'bad escape in a header name', input: 'SEND\nk\\x:v\n\n\0', events: [], error: 'STOMP_BAD_ESCAPE' },
  {
    name: '\\r is not an escape in 1.1',
    input: 'SEND\nk:a\\rb\n\n\0',
    version: '1.1',
    events: [],
    error: 'STOMP_BAD_ESCAPE',
  },
  ...['abc', '-1', '', '1.5', ' 5', '5 ', '+5', '0x10', '1e3'].map((value): ParserCase => ({
    name: `content-length "${value}"`,
    input: `SEND\ncontent-length:${value}\n\nabcde\0`,
    events: [],
    error: 'STOMP_BAD_CONTENT_LENGTH',
  })),
  {
    name: 'content-length body not followed by NUL',
    input: 'SEND\ncontent-length:2\n\nabc\0',
    events: [],
    error: 'STOMP_MISSING_NUL',
  },
  {
    name: 'content-length 0 but a body follows',
    input: 'SEND\ncontent-length:0\n\nx\0',
    events: [],
    error: 'STOMP_MISSING_NUL',
  },
];

/** A frame and its exact size, for limit boundaries. */
const SMALL_FRAME = 'SEND\n\nabcd\0'; // 11 bytes
const SIZED_FRAME = 'SEND\ncontent-length:4\n\nab\0d\0'; // 29 bytes

const LIMIT_CASES: ParserCase[] = [
  {
    name: 'exactly maxHeaders headers',
    input: 'SEND\na:1\nb:2\n\n\0',
    limits: { maxHeaders: 2 },
    events: [
      frameEvent('SEND', [
        ['a', '1'],
        ['b', '2'],
      ]),
    ],
  },
  {
    name: 'one header too many',
    input: 'SEND\na:1\nb:2\nc:3\n\n\0',
    limits: { maxHeaders: 2 },
    events: [],
    error: 'STOMP_TOO_MANY_HEADERS',
  },
  {
    name: 'repeated headers count too',
    input: 'SEND\na:1\na:2\na:3\n\n\0',
    limits: { maxHeaders: 2 },
    events: [],
    error: 'STOMP_TOO_MANY_HEADERS',
  },
  {
    name: 'header line of exactly maxHeaderLineBytes',
    input: 'SEND\nabc:1234\n\n\0',
    limits: { maxHeaderLineBytes: 8 },
    events: [frameEvent('SEND', [['abc', '1234']])],
  },
  {
    name: 'header line one byte too long',
    input: 'SEND\nabc:12345\n\n\0',
    limits: { maxHeaderLineBytes: 8 },
    events: [],
    error: 'STOMP_HEADER_TOO_LONG',
  },
  {
    name: 'the CR of a CRLF counts toward the line length',
    input: 'SEND\nabc:1234\r\n\n\0',
    limits: { maxHeaderLineBytes: 8 },
    events: [],
    error: 'STOMP_HEADER_TOO_LONG',
  },
  {
    name: 'command line too long',
    input: 'CONNECT\n\n\0',
    limits: { maxHeaderLineBytes: 6 },
    events: [],
    error: 'STOMP_HEADER_TOO_LONG',
  },
  {
    name: 'heart-beats are fine with a tiny line limit',
    input: '\r\n\nSEND\n\n\0',
    limits: { maxHeaderLineBytes: 4 },
    events: [HEARTBEAT_EVENT, HEARTBEAT_EVENT, frameEvent('SEND')],
  },
  {
    name: 'body of exactly maxBodyBytes',
    input: 'SEND\n\nabcd\0',
    limits: { maxBodyBytes: 4 },
    events: [frameEvent('SEND', [], 'abcd')],
  },
  {
    name: 'NUL-terminated body one byte too large',
    input: 'SEND\n\nabcde\0',
    limits: { maxBodyBytes: 4 },
    events: [],
    error: 'STOMP_BODY_TOO_LARGE',
  },
  {
    name: 'content-length of exactly maxBodyBytes',
    input: SIZED_FRAME,
    limits: { maxBodyBytes: 4 },
    events: [frameEvent('SEND', [['content-length', '4']], Buffer.from('ab\0d'))],
  },
  {
    name: 'content-length over maxBodyBytes',
    input: 'SEND\ncontent-length:5\n\nabcde\0',
    limits: { maxBodyBytes: 4 },
    events: [],
    error: 'STOMP_BODY_TOO_LARGE',
  },
  {
    name: 'huge content-length',
    input: `SEND\ncontent-length:${'9'.repeat(400)}\n\nabcde\0`,
    events: [],
    error: 'STOMP_BODY_TOO_LARGE',
  },
  {
    name: 'frame of exactly maxFrameBytes',
    input: SMALL_FRAME,
    limits: { maxFrameBytes: SMALL_FRAME.length },
    events: [frameEvent('SEND', [], 'abcd')],
  },
  {
    name: 'NUL-terminated frame one byte too large',
    input: SMALL_FRAME,
    limits: { maxFrameBytes: SMALL_FRAME.length - 1 },
    events: [],
    error: 'STOMP_FRAME_TOO_LARGE',
  },
  {
    name: 'content-length frame of exactly maxFrameBytes',
    input: SIZED_FRAME,
    limits: { maxFrameBytes: SIZED_FRAME.length },
    events: [frameEvent('SEND', [['content-length', '4']], Buffer.from('ab\0d'))],
  },
  {
    name: 'content-length frame one byte too large',
    input: SIZED_FRAME,
    limits: { maxFrameBytes: SIZED_FRAME.length - 1 },
    events: [],
    error: 'STOMP_FRAME_TOO_LARGE',
  },
  {
    name: 'headers alone overflow the frame',
    input: 'SEND\naaaa:1\nbbbb:2\ncccc:3\n\n\0',
    limits: { maxFrameBytes: 16 },
    events: [],
    error: 'STOMP_FRAME_TOO_LARGE',
  },
  {
    name: 'command line alone overflows the frame',
    input: 'SEND\n\n\0',
    limits: { maxFrameBytes: 6 },
    events: [],
    error: 'STOMP_FRAME_TOO_LARGE',
  },
  {
    name: 'several frames, each within maxFrameBytes',
    input: `${SMALL_FRAME}\n${SMALL_FRAME}`,
    limits: { maxFrameBytes: SMALL_FRAME.length },
    events: [frameEvent('SEND', [], 'abcd'), HEARTBEAT_EVENT, frameEvent('SEND', [], 'abcd')],
  },
  {
    // The 5th byte of the header line is both one too many for the line and the frame's last.
    name: 'line and frame limits broken by the same byte: the line limit is reported',
    input: 'SEND\nabcdef:1\n\n\0',
    limits: { maxHeaderLineBytes: 4, maxFrameBytes: 10 },
    events: [],
    error: 'STOMP_HEADER_TOO_LONG',
  },
  {
    name: 'the body limit reached first wins',
    input: `SEND\n\n${'x'.repeat(12)}\0`,
    limits: { maxBodyBytes: 10, maxFrameBytes: 100 },
    events: [],
    error: 'STOMP_BODY_TOO_LARGE',
  },
  {
    name: 'the frame limit reached first wins',
    input: `SEND\n\n${'x'.repeat(12)}\0`,
    limits: { maxBodyBytes: 10, maxFrameBytes: 12 },
    events: [],
    error: 'STOMP_FRAME_TOO_LARGE',
  },
];

describe('StompParser: frames table, parsed whole, split in two everywhere and byte by byte', () => {
  it.each(VALID_FRAMES.map((c) => [c.name, c] as const))('%s', (_name, testCase) =>
    expectSameOutcomeHoweverChunked(testCase),
  );

  it.each([...CLIENT_COMMANDS, ...SERVER_COMMANDS].map((command) => [command]))('accepts the %s command', (command) =>
    expectSameOutcomeHoweverChunked({
      name: command,
      input: `${command}\nk:v\n\nbody\0`,
      events: [frameEvent(command as StompCommand, [['k', 'v']], 'body')],
    }),
  );
});

describe('StompParser: protocol violations table', () => {
  it.each(PROTOCOL_ERRORS.map((c) => [c.name, c] as const))('%s', (_name, testCase) =>
    expectSameOutcomeHoweverChunked(testCase),
  );
});

describe('StompParser: limits table', () => {
  it.each(LIMIT_CASES.map((c) => [c.name, c] as const))('%s', (_name, testCase) =>
    expectSameOutcomeHoweverChunked(testCase),
  );
});

function recordingParser(limits?: Partial<StompLimits>): {
  parser: StompParser;
  frames: StompFrame[];
  heartbeats: () => number;
} {
  const frames: StompFrame[] = [];
  let heartbeats = 0;
  const parser = new StompParser({ onFrame: (frame) => frames.push(frame), onHeartbeat: () => heartbeats++ }, limits);
  return { parser, frames, heartbeats: () => heartbeats };
}

describe('StompParser: failure is permanent', () => {
  it('rejects every push after a violation, even valid frames', () => {
    const { parser, frames } = recordingParser();
    expect(stompErrorCode(() => parser.push('BOGUS\n\n\0'))).toBe('STOMP_BAD_COMMAND');
    expect(stompErrorCode(() => parser.push('SEND\n\n\0'))).toBe('STOMP_PARSER_FAILED');
    expect(stompErrorCode(() => parser.push(''))).toBe('STOMP_PARSER_FAILED');
    expect(frames).toHaveLength(0);
  });

  it('lets a handler exception through unchanged and then refuses further input', () => {
    const failure = new Error('handler failed');
    const parser = new StompParser({
      onFrame: () => {
        throw failure;
      },
      onHeartbeat: () => undefined,
    });
    expect(() => parser.push('SEND\n\n\0SEND\n\n\0')).toThrow(failure);
    expect(stompErrorCode(() => parser.push('SEND\n\n\0'))).toBe('STOMP_PARSER_FAILED');
  });

  it('gives a StompError with a message that does not echo client bytes', () => {
    const parser = new StompParser({ onFrame: () => undefined, onHeartbeat: () => undefined });
    let caught: unknown;
    try {
      parser.push('SEND\nsecret\ntoken:x\n\n\0');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(StompError);
    expect((caught as StompError).name).toBe('StompError');
    expect((caught as StompError).message).not.toContain('secret');
  });
});

describe('StompParser: behaviour across pushes', () => {
  it('applies a version set by a handler to the rest of the same chunk', () => {
    const frames: StompFrame[] = [];
    const parser: StompParser = new StompParser({
      onFrame: (frame) => {
        frames.push(frame);
        if (frame.command === 'CONNECT') parser.version = '1.0';
      },
      onHeartbeat: () => undefined,
    });
    parser.push('CONNECT\naccept-version:1.0\n\n\0SEND\nk:a\\tb\n\n\0');
    expect(frames.map((f) => f.headers.get('k'))).toEqual([undefined, 'a\\tb']);
  });

  it('accepts strings as UTF-8', () => {
    const { parser, frames } = recordingParser();
    parser.push('SEND\n\nhéllo 🎉\0');
    expect(frames[0]?.body.toString('utf8')).toBe('héllo 🎉');
  });

  it('keeps header insertion order in the Map', () => {
    const { parser, frames } = recordingParser();
    parser.push('SEND\nz:1\na:2\nm:3\n\n\0');
    expect([...(frames[0]?.headers.keys() ?? [])]).toEqual(['z', 'a', 'm']);
  });

  it('gives bodies that span chunks their own memory', () => {
    const { parser, frames } = recordingParser();
    const chunks = ['SEND\n\nfir', 'st\0SEND\ncontent-length:6\n\nsec', 'ond\0SEND\n\nthi', 'rd\0'].map((s) =>
      Buffer.from(s),
    );
    for (const chunk of chunks) parser.push(chunk);
    for (const chunk of chunks) chunk.fill(0x21); // the transport reusing its buffers
    expect(frames.map((f) => f.body.toString())).toEqual(['first', 'second', 'third']);
  });

  it('hands out a body lying inside one chunk as a view of that chunk, without copying', () => {
    const { parser, frames } = recordingParser();
    const chunk = Buffer.from('SEND\n\nzero-copy\0');
    parser.push(chunk);
    expect(frames[0]?.body.buffer).toBe(chunk.buffer);
    expect(frames[0]?.body.toString()).toBe('zero-copy');
  });

  it('rejects limits that are not positive integers', () => {
    const handlers = { onFrame: () => undefined, onHeartbeat: () => undefined };
    expect(() => new StompParser(handlers, { maxFrameBytes: 0 })).toThrow(RangeError);
    expect(() => new StompParser(handlers, { maxHeaders: Number.NaN })).toThrow(RangeError);
    expect(() => new StompParser(handlers, { maxBodyBytes: 1.5 })).toThrow(RangeError);
    expect(() => new StompParser(handlers, { maxHeaderLineBytes: undefined })).not.toThrow();
  });
});

describe('StompParser: bounded buffering', () => {
  it('rejects a header line that never ends as soon as it is too long', () => {
    const { parser } = recordingParser({ maxHeaderLineBytes: 100 });
    parser.push('SEND\n');
    parser.push('x'.repeat(100));
    expect(stompErrorCode(() => parser.push('x'))).toBe('STOMP_HEADER_TOO_LONG');
  });

  it('rejects a command line that never ends', () => {
    const { parser } = recordingParser({ maxHeaderLineBytes: 100 });
    expect(stompErrorCode(() => parser.push('x'.repeat(101)))).toBe('STOMP_HEADER_TOO_LONG');
  });

  it('rejects a body without NUL as soon as it is too large', () => {
    const { parser } = recordingParser({ maxBodyBytes: 1000 });
    parser.push('SEND\n\n');
    parser.push('x'.repeat(1000));
    expect(stompErrorCode(() => parser.push('x'))).toBe('STOMP_BODY_TOO_LARGE');
  });

  it('rejects headers that never end once the frame is full', () => {
    const { parser } = recordingParser({ maxFrameBytes: 1000, maxHeaders: 10_000 });
    parser.push('SEND\n');
    expect(stompErrorCode(() => parser.push('a:b\n'.repeat(300)))).toBe('STOMP_FRAME_TOO_LARGE');
  });

  it('rejects a command line that leaves no room for the rest of the frame', () => {
    const { parser } = recordingParser({ maxFrameBytes: 5 });
    expect(stompErrorCode(() => parser.push('SEND\n'))).toBe('STOMP_FRAME_TOO_LARGE');
  });

  it('rejects an announced oversized body before any of it arrives', () => {
    const { parser } = recordingParser();
    expect(stompErrorCode(() => parser.push('SEND\ncontent-length:1000000\n\n'))).toBe('STOMP_BODY_TOO_LARGE');
  });
});

describe('StompParser: speed', () => {
  const bodySize = 60_000; // within the default 64 KiB frame limit with its headers

  it.each([
    ['NUL-terminated', ''],
    ['content-length', `content-length:${bodySize}\n`],
  ])('parses a %s 60 KB body fed one byte at a time in linear time', (_kind, lengthHeader) => {
    const body = Buffer.alloc(bodySize, 0x61);
    const frame = Buffer.concat([Buffer.from(`SEND\ndestination:/q\n${lengthHeader}\n`), body, Buffer.from([0])]);
    const { parser, frames } = recordingParser();
    const started = performance.now();
    for (let i = 0; i < frame.length; i++) parser.push(frame.subarray(i, i + 1));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(frames).toHaveLength(1);
    expect(frames[0]?.body.equals(body)).toBe(true);
  });

  it('parses long header lines and many headers fed one byte at a time', () => {
    const headers = Array.from({ length: 64 }, (_, i) => `h${i}:${'v'.repeat(900)}\n`).join('');
    const frame = Buffer.from(`SEND\n${headers}\n\0`);
    const { parser, frames } = recordingParser({ maxFrameBytes: 1 << 20 });
    const started = performance.now();
    for (let i = 0; i < frame.length; i++) parser.push(frame.subarray(i, i + 1));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(frames[0]?.headers.size).toBe(64);
  });

  it('parses 10 000 small frames packed in one chunk quickly', () => {
    const one = 'SEND\ndestination:/topic/room.42\ncontent-type:text/plain\n\nhello world\0\n';
    const chunk = Buffer.from(one.repeat(10_000));
    const { parser, frames, heartbeats } = recordingParser();
    const started = performance.now();
    parser.push(chunk);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(frames).toHaveLength(10_000);
    expect(heartbeats()).toBe(10_000);
  });
});
