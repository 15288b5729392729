import { describe, expect, it } from '@jest/globals';
import { AppError } from '../../../app/src/errors/app-error.js';
import { assertMayChange, type Changer } from '../../../app/src/messages/changes/change-rules.js';
import type { MessageEventKind, MessageKind } from '../../../app/src/messages/store/stored-message.js';
import type { RoomRole } from '../../../app/src/rooms/membership.entity.js';

const AUTHOR = 'author-id';
const target = (overrides: { kind?: MessageKind; deletedAt?: Date | null } = {}) => ({
  seq: 7,
  kind: overrides.kind ?? 'message',
  senderId: AUTHOR,
  deletedAt: overrides.deletedAt ?? null,
});

function outcome(action: MessageEventKind, changer: Changer, on = target()): string {
  try {
    assertMayChange(action, on, changer);
    return 'ok';
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return error.code;
  }
}

const as = (userId: string, role: RoomRole | null): Changer => ({ userId, role });

describe('who may edit or delete a message', () => {
  it.each([
    ['the author, a member', as(AUTHOR, 'member'), 'ok'],
    ['the author, an admin', as(AUTHOR, 'admin'), 'ok'],
    ['another member', as('someone-else', 'member'), 'AUTH_FORBIDDEN'],
    ['an admin (moderator)', as('moderator', 'admin'), 'ok'],
    ['the owner (moderator)', as('owner', 'owner'), 'ok'],
    ['a non-member', as('stranger', null), 'AUTH_FORBIDDEN'],
    ['the author after leaving the room', as(AUTHOR, null), 'AUTH_FORBIDDEN'],
  ])('%s', (_who, changer, expected) => {
    expect(outcome('edit', changer)).toBe(expected);
    expect(outcome('delete', changer)).toBe(expected);
  });

  it('refuses to change an event, whoever asks', () => {
    for (const kind of ['edit', 'delete'] as const) {
      for (const changer of [as(AUTHOR, 'member'), as('owner', 'owner')]) {
        expect(outcome('edit', changer, target({ kind }))).toBe('MESSAGE_NOT_EDITABLE');
        expect(outcome('delete', changer, target({ kind }))).toBe('MESSAGE_NOT_EDITABLE');
      }
    }
  });

  it('refuses to edit or delete again a deleted message, but tells others first that it is not theirs', () => {
    const deleted = target({ deletedAt: new Date() });
    expect(outcome('edit', as(AUTHOR, 'member'), deleted)).toBe('MESSAGE_DELETED');
    expect(outcome('delete', as('owner', 'owner'), deleted)).toBe('MESSAGE_DELETED');
    expect(outcome('edit', as('someone-else', 'member'), deleted)).toBe('AUTH_FORBIDDEN');
  });

  it('says what is wrong in the message', () => {
    expect(() => assertMayChange('delete', target(), as('someone-else', 'member'))).toThrow(
      "only its author or the room's owner or admins may delete message 7",
    );
    expect(() => assertMayChange('edit', target({ kind: 'edit' }), as(AUTHOR, 'member'))).toThrow(
      'seq 7 is an edit event, not a message',
    );
  });
});
