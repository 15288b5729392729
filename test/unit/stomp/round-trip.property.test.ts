import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  CLIENT_COMMANDS,
  SERVER_COMMANDS,
  type StompCommand,
  type StompVersion,
} from '../../../app/src/stomp/frame.js';
import { encodeFrame } from '../../../app/src/stomp/serializer.js';
import { frameEvent, HEARTBEAT_EVENT, parseChunks, splitAt, type ParseEvent } from './parse-helpers.js';

const COMMANDS: StompCommand[] = [...CLIENT_COMMANDS, ...SERVER_COMMANDS];
const ORDINARY_UNITS = ['a', 'z', '0', '-', ' ', '/', 'é', '日', '🎉', 'c', 'n', 'r', 't', '\0', '\\'];

/**
 * Text a header can carry through encode + parse. Where escaping applies (1.1/1.2, except
 * CONNECT/CONNECTED) that is everything but, in 1.1, CR (no escape for it, and a CR before the
 * LF is part of the EOL). Where nothing is escaped: no LF or CR, and no colon in names.
 */
function headerText(version: StompVersion, command: StompCommand, role: 'name' | 'value'): fc.Arbitrary<string> {
  const escaped = version !== '1.0' && command !== 'CONNECT' && command !== 'CONNECTED';
  const units = [...ORDINARY_UNITS];
  if (escaped) units.push('\n', ':', ...(version === '1.2' ? ['\r'] : []));
  else if (role === 'value') units.push(':');
  return fc.string({ unit: fc.constantFrom(...units), maxLength: 12 });
}

interface GeneratedFrame {
  readonly command: StompCommand;
  readonly headers: [string, string][];
  readonly body: Buffer;
}

function generatedFrame(version: StompVersion): fc.Arbitrary<GeneratedFrame> {
  return fc.constantFrom(...COMMANDS).chain((command) =>
    fc.record({
      command: fc.constant(command),
      headers: fc.array(
        fc
          .tuple(headerText(version, command, 'name'), headerText(version, command, 'value'))
          .filter(([name]) => name !== 'content-length'),
        { maxLength: 6 },
      ),
      body: fc.uint8Array({ maxLength: 48 }).map((bytes) => Buffer.from(bytes)),
    }),
  );
}

const heartbeats = fc.constantFrom('', '\n', '\r\n', '\n\n');

function expectedEvents(frame: GeneratedFrame): ParseEvent {
  const firstWins = new Map<string, string>();
  for (const [name, value] of frame.headers) if (!firstWins.has(name)) firstWins.set(name, value);
  if (frame.body.length > 0) firstWins.set('content-length', String(frame.body.length));
  return frameEvent(frame.command, [...firstWins], frame.body);
}

describe.each<StompVersion>(['1.0', '1.1', '1.2'])('encodeFrame → StompParser round trip, STOMP %s', (version) => {
  it('gives back every frame and heart-beat under arbitrary chunking', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(heartbeats, generatedFrame(version)), { minLength: 1, maxLength: 4 }),
        heartbeats,
        fc.array(fc.nat({ max: 1200 }), { maxLength: 16 }),
        (framesWithLeadingHeartbeats, trailingHeartbeats, cuts) => {
          const parts: Buffer[] = [];
          const expected: ParseEvent[] = [];
          const addHeartbeats = (eols: string): void => {
            parts.push(Buffer.from(eols));
            for (let count = eols.match(/\r?\n/g)?.length ?? 0; count > 0; count--) expected.push(HEARTBEAT_EVENT);
          };
          for (const [eols, frame] of framesWithLeadingHeartbeats) {
            addHeartbeats(eols);
            parts.push(encodeFrame(frame.command, frame.headers, frame.body, version));
            expected.push(expectedEvents(frame));
          }
          addHeartbeats(trailingHeartbeats);

          const stream = Buffer.concat(parts);
          expect(parseChunks(splitAt(stream, cuts), { version })).toEqual({ events: expected });
        },
      ),
      { numRuns: 400 },
    );
  });
});
