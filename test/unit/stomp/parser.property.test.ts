import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { CLIENT_COMMANDS, SERVER_COMMANDS, type StompVersion } from '../../../app/src/stomp/frame.js';
import { DEFAULT_STOMP_LIMITS, type StompLimits } from '../../../app/src/stomp/limits.js';
import { StompParser } from '../../../app/src/stomp/parser.js';
import { StompError } from '../../../app/src/stomp/stomp-error.js';
import { parseChunks, splitAt, stompErrorCode } from './parse-helpers.js';

const COMMANDS: string[] = [...CLIENT_COMMANDS, ...SERVER_COMMANDS];
const eol = fc.constantFrom('\n', '\r\n');

/** Pieces of header text that hit escaping, colon splitting and content-length handling. */
const headerPiece = fc.constantFrom(
  'k',
  'v',
  ':',
  '\\',
  '\\n',
  '\\c',
  '\\r',
  '\\t',
  'é',
  ' ',
  '\0',
  '\r',
  'content-length',
);
const headerLine = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.array(headerPiece, { maxLength: 4 }), fc.array(headerPiece, { maxLength: 6 }))
      .map(([name, value]) => `${name.join('')}:${value.join('')}`),
  },
  { weight: 2, arbitrary: fc.nat({ max: 12 }).map((length) => `content-length:${length}`) },
  { weight: 1, arbitrary: fc.constantFrom('content-length:-1', 'content-length:x', 'no colon') },
);

/** Mostly well-formed frames (so that frames and limits are really exercised), with junk mixed in. */
const frameLike = fc
  .tuple(
    fc.constantFrom('', '\n', '\r\n'),
    fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...COMMANDS) },
      { weight: 1, arbitrary: fc.constantFrom('BOGUS', 'send', '', '\r') },
    ),
    eol,
    fc.array(fc.tuple(headerLine, eol), { maxLength: 5 }),
    eol,
    fc.uint8Array({ maxLength: 20 }),
    fc.constantFrom('\0', '\0', '', '\0\0'),
  )
  .map(([heartbeats, command, commandEol, headers, blankLine, body, terminator]) =>
    Buffer.concat([
      Buffer.from(heartbeats + command + commandEol + headers.map(([line, end]) => line + end).join('') + blankLine),
      Buffer.from(body),
      Buffer.from(terminator),
    ]),
  );

const fuzzInput = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: frameLike },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 8 }).map((bytes) => Buffer.from(bytes)) },
    ),
    { maxLength: 8 },
  )
  .map((parts) => Buffer.concat(parts));

const smallLimits: fc.Arbitrary<StompLimits> = fc.oneof(
  fc.record({
    maxFrameBytes: fc.integer({ min: 1, max: 160 }),
    maxBodyBytes: fc.integer({ min: 1, max: 24 }),
    maxHeaders: fc.integer({ min: 1, max: 5 }),
    maxHeaderLineBytes: fc.integer({ min: 1, max: 40 }),
  }),
  fc.constant(DEFAULT_STOMP_LIMITS),
);

const version = fc.constantFrom<StompVersion>('1.0', '1.1', '1.2');
const cutPositions = fc.array(fc.nat({ max: 600 }), { maxLength: 12 });

describe('StompParser on arbitrary input', () => {
  it('only ever emits events or throws StompError, with the same outcome however the input is split', () => {
    const started = performance.now();
    fc.assert(
      fc.property(fuzzInput, cutPositions, smallLimits, version, (input, cuts, limits, parserVersion) => {
        // parseChunks rethrows anything that is not a StompError, which fails the property.
        const whole = parseChunks([input], { version: parserVersion, limits });
        const split = parseChunks(splitAt(input, cuts), { version: parserVersion, limits });
        expect(split).toEqual(whole);
      }),
      { numRuns: 1500 },
    );
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('survives raw random bytes with default limits', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), cutPositions, (bytes, cuts) => {
        const input = Buffer.from(bytes);
        expect(
          parseChunks(
            splitAt(
              input,
              cuts.map((c) => c * 5),
            ),
          ),
        ).toEqual(parseChunks([input]));
      }),
      { numRuns: 300 },
    );
  });

  it('stays failed after any StompError', () => {
    fc.assert(
      fc.property(fuzzInput, smallLimits, (input, limits) => {
        const parser = new StompParser({ onFrame: () => undefined, onHeartbeat: () => undefined }, limits);
        try {
          parser.push(input);
          return; // no violation in this input
        } catch (error) {
          expect(error).toBeInstanceOf(StompError);
        }
        expect(stompErrorCode(() => parser.push('SEND\n\n\0'))).toBe('STOMP_PARSER_FAILED');
      }),
      { numRuns: 300 },
    );
  });
});
