import { describe, expect, it } from '@jest/globals';
import type { PublishedMessage } from '../../../app/src/backplane/backplane.port.js';
import { roomMessageOf } from '../../../app/src/messages/store/room-message-of.js';
import { roomIdOfTopic } from '../../../app/src/rooms/room-destinations.js';

const ROOM = '0f8fad5b-d9cb-469f-a165-70867728950e';

const published = (overrides: Partial<PublishedMessage> = {}): PublishedMessage => ({
  id: 'abc-1',
  seq: 7,
  publishedAt: Date.parse('2026-05-06T07:08:09.123Z'),
  destination: `/topic/rooms.${ROOM}`,
  headers: [
    ['content-type', 'text/plain;charset=utf-8'],
    ['x-sender-id', 'user-1'],
    ['x-sender', 'alice'],
    ['x-server-ts', '2026-05-06T07:08:09.120Z'],
    ['x-client-msg-id', 'client-1'],
  ],
  body: Buffer.from('hi'),
  ...overrides,
});

describe('roomMessageOf', () => {
  it('maps a room message as the room handler publishes it', () => {
    expect(roomMessageOf(published())).toEqual({
      id: 'abc-1',
      roomId: ROOM,
      seq: 7,
      kind: 'message',
      targetSeq: null,
      senderId: 'user-1',
      senderName: 'alice',
      contentType: 'text/plain;charset=utf-8',
      body: Buffer.from('hi'),
      clientMsgId: 'client-1',
      createdAt: new Date('2026-05-06T07:08:09.123Z'),
      editedAt: null,
      deletedAt: null,
    });
  });

  it('maps edit and delete events with their target and the sender who made the change', () => {
    const edit = roomMessageOf(
      published({
        headers: [
          ['content-type', 'text/markdown'],
          ['x-event', 'edit'],
          ['x-target-seq', '3'],
          ['x-sender-id', 'user-2'],
          ['x-sender', 'bob'],
          ['x-server-ts', '2026-05-06T07:08:09.120Z'],
        ],
        body: Buffer.from('new text'),
      }),
    )!;
    expect(edit).toMatchObject({
      kind: 'edit',
      targetSeq: 3,
      senderId: 'user-2',
      senderName: 'bob',
      contentType: 'text/markdown',
    });
    expect(edit.body.toString()).toBe('new text');

    const deletion = roomMessageOf(
      published({
        headers: [
          ['x-event', 'delete'],
          ['x-target-seq', '6'],
          ['x-sender-id', 'user-1'],
        ],
        body: Buffer.alloc(0),
      }),
    )!;
    expect(deletion).toMatchObject({ kind: 'delete', targetSeq: 6, editedAt: null, deletedAt: null });
  });

  it.each([
    [
      'an unknown event',
      [
        ['x-event', 'pin'],
        ['x-target-seq', '3'],
      ],
    ],
    ['an event without a target', [['x-event', 'edit']]],
    [
      'a target that is not a number',
      [
        ['x-event', 'edit'],
        ['x-target-seq', '3x'],
      ],
    ],
    [
      'a target at or after the event itself',
      [
        ['x-event', 'delete'],
        ['x-target-seq', '7'],
      ],
    ],
  ] as Array<[string, Array<[string, string]>]>)(
    'keeps %s as a plain message rather than refusing it',
    (_what, headers) => {
      expect(roomMessageOf(published({ headers }))).toMatchObject({ kind: 'message', targetSeq: null });
    },
  );

  it.each([
    ['a typing sub-destination', `/topic/rooms.${ROOM}.typing`],
    ['a presence sub-destination', `/topic/rooms.${ROOM}.presence`],
    ['another topic', '/topic/news'],
    ['an upper-case room id', `/topic/rooms.${ROOM.toUpperCase()}`],
    ['a user queue', '/user/queue/errors'],
  ])('keeps nothing of %s', (_what, destination) => {
    expect(roomMessageOf(published({ destination }))).toBeUndefined();
    expect(roomIdOfTopic(destination)).toBeUndefined();
  });

  it('keeps nothing unsequenced (ephemeral messages have seq 0)', () => {
    expect(roomMessageOf(published({ seq: 0 }))).toBeUndefined();
  });

  it('stores no client id when none (or an empty one) was sent, and a default content type when none was set', () => {
    const message = roomMessageOf(
      published({
        headers: [
          ['x-sender-id', 'u'],
          ['x-client-msg-id', ''],
        ],
      }),
    )!;
    expect(message.clientMsgId).toBeNull();
    expect(message.contentType).toBe('application/octet-stream');
    expect(message.senderName).toBe('');
  });

  it('clips text to the column sizes between code points, so no message can be refused forever', () => {
    const long = '😀'.repeat(300);
    const message = roomMessageOf(
      published({
        headers: [
          ['content-type', `text/x-${'a'.repeat(400)}`],
          ['x-sender', long],
          ['x-client-msg-id', 'c'.repeat(200)],
        ],
      }),
    )!;
    expect(message.contentType).toHaveLength(255);
    expect(Array.from(message.senderName)).toHaveLength(100);
    expect(message.senderName).toBe('😀'.repeat(100));
    expect(message.clientMsgId).toHaveLength(128);
  });
});
