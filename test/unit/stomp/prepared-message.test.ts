import { describe, expect, it } from '@jest/globals';
import type { StompVersion } from '../../../app/src/stomp/frame.js';
import { PreparedMessage } from '../../../app/src/stomp/prepared-message.js';
import { encodeFrame } from '../../../app/src/stomp/serializer.js';
import { frameEvent, parseChunks } from './parse-helpers.js';

const HEADERS: [string, string][] = [
  ['destination', '/topic/room.1'],
  ['message-id', 'm-42'],
  ['content-type', 'text/plain;charset=utf-8'],
  ['x-note', 'colon: and \\ backslash'],
];
const VERSIONS: StompVersion[] = ['1.0', '1.1', '1.2'];

describe('PreparedMessage.render', () => {
  it.each(VERSIONS)('equals encodeFrame of subscription, ack, then the rest (STOMP %s)', (version) => {
    const body = Buffer.from('hello 🎉');
    const message = new PreparedMessage(HEADERS, body);
    expect(message.render(version, 'sub-1', 'ack-7')).toEqual(
      encodeFrame('MESSAGE', [['subscription', 'sub-1'], ['ack', 'ack-7'], ...HEADERS], body, version),
    );
    expect(message.render(version, 'sub-2')).toEqual(
      encodeFrame('MESSAGE', [['subscription', 'sub-2'], ...HEADERS], body, version),
    );
  });

  it('escapes subscription and ack ids like any other header', () => {
    const message = new PreparedMessage(HEADERS, Buffer.alloc(0));
    expect(message.render('1.2', 'a:b\nc', 'x\\y')).toEqual(
      encodeFrame('MESSAGE', [['subscription', 'a:b\nc'], ['ack', 'x\\y'], ...HEADERS], Buffer.alloc(0), '1.2'),
    );
  });

  it('serves every subscriber and version from the same message, and parses back', () => {
    const body = Buffer.from([0, 1, 2, 0]);
    const message = new PreparedMessage(HEADERS, body);
    for (const version of VERSIONS) {
      for (const subscription of ['s1', 's2', 's3']) {
        const outcome = parseChunks([message.render(version, subscription, `${subscription}-ack`)], { version });
        expect(outcome).toEqual({
          events: [
            frameEvent(
              'MESSAGE',
              [['subscription', subscription], ['ack', `${subscription}-ack`], ...HEADERS, ['content-length', '4']],
              body,
            ),
          ],
        });
      }
    }
  });

  it('shares one read-only frame among subscribers with the same version and subscription id', () => {
    const message = new PreparedMessage(HEADERS, Buffer.from('x'));
    const shared = message.render('1.2', 'sub-0');
    expect(message.render('1.2', 'sub-0')).toBe(shared);
    expect(message.render('1.1', 'sub-0')).not.toBe(shared);
    expect(message.render('1.2', 'sub-1')).toEqual(
      encodeFrame('MESSAGE', [['subscription', 'sub-1'], ...HEADERS], 'x'),
    );
    expect(shared).toEqual(encodeFrame('MESSAGE', [['subscription', 'sub-0'], ...HEADERS], 'x'));
  });

  it('encodes a fresh frame per ack id, and past the shared bound per render', () => {
    const message = new PreparedMessage(HEADERS, Buffer.from('x'));
    expect(message.render('1.2', 's', 'a1')).not.toBe(message.render('1.2', 's', 'a1'));
    const ids = Array.from({ length: 20 }, (_, i) => `sub-${i}`);
    for (const id of ids) message.render('1.2', id);
    const last = ids[ids.length - 1];
    const again = message.render('1.2', last);
    // Only the frame rendered last is kept beyond the bound: the same id again gets it back…
    expect(message.render('1.2', last)).toBe(again);
    message.render('1.2', 'another-id');
    // …and once another id came in between, it is encoded anew.
    expect(again).not.toBe(message.render('1.2', last));
    expect(again).toEqual(encodeFrame('MESSAGE', [['subscription', last], ...HEADERS], 'x'));
  });

  it('escapes a line feed for 1.2 and replaces it for 1.0, which cannot carry it', () => {
    const message = new PreparedMessage([['x-note', 'two\nlines']], Buffer.alloc(0));
    expect(message.render('1.2', 's').toString()).toContain('x-note:two\\nlines\n');
    expect(message.render('1.0', 's').toString()).toContain('x-note:two\uFFFDlines\n');
  });
});

describe('PreparedMessage.isUtf8', () => {
  it.each([
    ['a text body', Buffer.from('héllo 日本 🎉'), true],
    ['an empty body', Buffer.alloc(0), true],
    ['a body with NULs (valid UTF-8)', Buffer.from([0x61, 0, 0x62]), true],
    ['a lone 0xff', Buffer.from([0x61, 0xff]), false],
    ['a truncated multi-byte sequence', Buffer.from([0xe6, 0x97]), false],
    ['an overlong encoding', Buffer.from([0xc0, 0xaf]), false],
  ])('%s → %s', (_name, body, expected) => {
    expect(new PreparedMessage(HEADERS, body).isUtf8).toBe(expected);
  });
});
