import { AppError } from '../../errors/app-error.js';
import type { RoomRole } from '../../rooms/membership.entity.js';
import { RANK } from '../../rooms/room-policy.js';
import type { MessageEventKind, StoredMessage } from '../store/stored-message.js';

/** Who asks to change a message: their id and their current role in the room (null: not a member). */
export interface Changer {
  readonly userId: string;
  readonly role: RoomRole | null;
}

/**
 * Who may edit or delete which message, checked against the message as it is now (its latest
 * edit, or a tombstone):
 * - only members reach a room at all;
 * - only chat messages change: an edit or delete event is a record of a change, not content;
 * - the author (the message's x-sender-id) may edit and delete it, and so may the room's owner
 *   and admins (moderators); in a direct room, which has neither, only the author;
 * - a deleted message stays deleted: it can be neither edited nor deleted again.
 * Refusals carry the stable codes AUTH_FORBIDDEN, MESSAGE_NOT_EDITABLE and MESSAGE_DELETED.
 */
export function assertMayChange(
  action: MessageEventKind,
  target: Pick<StoredMessage, 'seq' | 'kind' | 'senderId' | 'deletedAt'>,
  changer: Changer,
): void {
  if (changer.role === null) throw new AppError('AUTH_FORBIDDEN', 'you are not a member of this room');
  if (target.kind !== 'message') {
    throw new AppError(
      'MESSAGE_NOT_EDITABLE',
      `seq ${target.seq} is a${target.kind === 'edit' ? 'n' : ''} ${target.kind} event, not a message: only messages can be edited or deleted`,
    );
  }
  const author = target.senderId === changer.userId;
  if (!author && RANK[changer.role] < RANK.admin) {
    throw new AppError(
      'AUTH_FORBIDDEN',
      `only its author or the room's owner or admins may ${action} message ${target.seq}`,
    );
  }
  if (target.deletedAt !== null) {
    throw new AppError('MESSAGE_DELETED', `message ${target.seq} is deleted: it can no longer be edited or deleted`);
  }
}
