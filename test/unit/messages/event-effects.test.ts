import { describe, expect, it } from '@jest/globals';
import { applyEffects, effectsByTarget } from '../../../app/src/messages/store/event-effects.js';
import type { StoredMessage } from '../../../app/src/messages/store/stored-message.js';

const ROOM = 'room-1';
const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second));

const row = (seq: number, overrides: Partial<StoredMessage> = {}): StoredMessage => ({
  id: `id-${seq}`,
  roomId: ROOM,
  seq,
  kind: 'message',
  targetSeq: null,
  senderId: 'author',
  senderName: 'alice',
  contentType: 'text/plain',
  body: Buffer.from(`message ${seq}`),
  clientMsgId: null,
  createdAt: at(seq),
  editedAt: null,
  deletedAt: null,
  ...overrides,
});
const edit = (seq: number, targetSeq: number, body: string) =>
  row(seq, { kind: 'edit', targetSeq, body: Buffer.from(body), contentType: 'text/markdown' });
const deletion = (seq: number, targetSeq: number) => row(seq, { kind: 'delete', targetSeq, body: Buffer.alloc(0) });

/** Applies events in the given order and returns the rows as they then read. */
const overlay = (rows: StoredMessage[], events: StoredMessage[]) =>
  rows.map((item) => applyEffects(item, effectsByTarget(events)));

describe('edit and delete effects (the overlay history and the edit checks use)', () => {
  it('leaves rows without events alone, and events that target nothing on the page', () => {
    const page = [row(1), row(2)];
    expect(overlay(page, [])).toEqual(page);
    expect(overlay(page, [edit(9, 5, 'elsewhere')])).toEqual(page);
  });

  it('shows the latest edit of a message: body, content type and editedAt', () => {
    const [edited] = overlay([row(1)], [edit(3, 1, 'third'), edit(2, 1, 'second')]);
    expect(edited).toEqual({
      ...row(1),
      body: Buffer.from('third'),
      contentType: 'text/markdown',
      editedAt: at(3),
    });
  });

  it('makes a deleted message a tombstone with the first delete’s time, whatever came before or after', () => {
    const [tombstone] = overlay([row(1)], [edit(2, 1, 'edited'), deletion(4, 1), deletion(3, 1), edit(5, 1, 'raced')]);
    expect(tombstone).toMatchObject({ body: Buffer.alloc(0), deletedAt: at(3), editedAt: at(5) });
  });

  it('empties the edits of a deleted message, and never changes a delete or the event an event names', () => {
    const events = [edit(2, 1, 'edited'), deletion(3, 1), deletion(5, 2)];
    const [edited, deleted, pointless] = overlay(events, events);
    expect(edited).toEqual({ ...edit(2, 1, 'edited'), body: Buffer.alloc(0) });
    expect(deleted).toEqual(deletion(3, 1));
    expect(pointless).toEqual(deletion(5, 2));
  });

  it('gives the same result whatever the order, with duplicates, and again on a row that reflects them already', () => {
    const events = [edit(2, 1, 'a'), edit(4, 1, 'b'), deletion(6, 1), edit(3, 1, 'c')];
    const forward = overlay([row(1)], events);
    expect(overlay([row(1)], [...events].reverse())).toEqual(forward);
    expect(overlay([row(1)], [...events, ...events])).toEqual(forward);
    expect(overlay(forward, events)).toEqual(forward);
    // A stored row keeps its own (earlier) deletion time when the log holds a later delete.
    const stored = { ...row(1), body: Buffer.alloc(0), deletedAt: at(1) };
    expect(overlay([stored], [deletion(7, 1)])[0]!.deletedAt).toEqual(at(1));
  });
});
