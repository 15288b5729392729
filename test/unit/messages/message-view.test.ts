import { describe, expect, it } from '@jest/globals';
import { MessageView } from '../../../app/src/messages/history/message.view.js';
import type { StoredMessage } from '../../../app/src/messages/store/stored-message.js';

const stored = (body: Buffer, overrides: Partial<StoredMessage> = {}): StoredMessage => ({
  id: 'id-1',
  roomId: 'r',
  seq: 3,
  kind: 'message',
  targetSeq: null,
  senderId: 'u1',
  senderName: 'alice',
  contentType: 'text/plain',
  body,
  clientMsgId: null,
  createdAt: new Date('2026-01-02T03:04:05.006Z'),
  editedAt: null,
  deletedAt: null,
  ...overrides,
});

describe('MessageView', () => {
  it('shows a UTF-8 body as text, with no encoding field', () => {
    expect(MessageView.of(stored(Buffer.from('héllo 🎉')))).toEqual({
      id: 'id-1',
      seq: 3,
      kind: 'message',
      targetSeq: null,
      senderId: 'u1',
      sender: 'alice',
      contentType: 'text/plain',
      body: 'héllo 🎉',
      clientMsgId: null,
      createdAt: '2026-01-02T03:04:05.006Z',
      editedAt: null,
      deletedAt: null,
    });
  });

  it('shows any other body as base64 and says so', () => {
    const view = MessageView.of(stored(Buffer.from([0xc3, 0x28, 0x00, 0xff])));
    expect(view).toMatchObject({ body: 'wygA/w==', encoding: 'base64' });
    expect(Buffer.from(view.body, 'base64')).toEqual(Buffer.from([0xc3, 0x28, 0x00, 0xff]));
  });

  it('shows edit and delete times when set', () => {
    const view = MessageView.of(
      stored(Buffer.alloc(0), {
        editedAt: new Date('2026-02-01T00:00:00Z'),
        deletedAt: new Date('2026-03-01T00:00:00Z'),
        clientMsgId: 'c',
      }),
    );
    expect(view).toMatchObject({
      body: '',
      editedAt: '2026-02-01T00:00:00.000Z',
      deletedAt: '2026-03-01T00:00:00.000Z',
      clientMsgId: 'c',
    });
    expect(view).not.toHaveProperty('encoding');
  });

  it('shows an event with its kind and target', () => {
    expect(MessageView.of(stored(Buffer.from('new words'), { seq: 9, kind: 'edit', targetSeq: 3 }))).toMatchObject({
      seq: 9,
      kind: 'edit',
      targetSeq: 3,
      body: 'new words',
    });
  });
});
