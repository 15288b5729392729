import { AppError } from '../../errors/app-error.js';
import type { AppSendContext, SendReply } from '../../realtime/app-destinations.js';
import type { RoomRole } from '../../rooms/membership.entity.js';
import { parseSeq, TARGET_SEQ_HEADER } from '../room-message-wire.js';
import type { MessageEventKind } from '../store/stored-message.js';
import { sequencedReceipt } from '../room-message.handler.js';
import type { MessageChanges } from './message-changes.js';

/**
 * SEND /app/rooms.{roomId}.edit (header x-target-seq: N, the new body, content-type as for a
 * message) and SEND /app/rooms.{roomId}.delete (x-target-seq: N). Only members get here
 * (RoomMemberGuard on MessageChangesGateway); the role that decides whether a moderator
 * may change someone else's message is read fresh, like every REST decision, so a stale cache
 * can never grant it. A refusal is an ERROR frame, which ends the session as STOMP requires
 * (ask for a RECEIPT to know the change was sequenced).
 */
export class MessageChangeHandler {
  constructor(
    private readonly changes: MessageChanges,
    private readonly freshRoleOf: (roomId: string, userId: string) => Promise<RoomRole | null>,
  ) {}

  readonly edit = (context: AppSendContext): Promise<SendReply> => this.handle('edit', context);
  readonly delete = (context: AppSendContext): Promise<SendReply> => this.handle('delete', context);

  private async handle(action: MessageEventKind, context: AppSendContext): Promise<SendReply> {
    const roomId = context.params['roomId']!;
    const header = context.headers.get(TARGET_SEQ_HEADER);
    if (header === undefined || header === '') {
      throw new AppError('PROTOCOL_MISSING_HEADER', `SEND to …${action} requires the '${TARGET_SEQ_HEADER}' header`, {
        header: TARGET_SEQ_HEADER,
      });
    }
    const targetSeq = parseSeq(header);
    if (targetSeq === undefined) {
      throw new AppError(
        'PROTOCOL_BAD_HEADER',
        `${TARGET_SEQ_HEADER} must be the x-seq of a message (a positive integer)`,
      );
    }
    const event = await this.changes.change({
      action,
      roomId,
      targetSeq,
      changer: context.principal,
      role: await this.freshRoleOf(roomId, context.principal.userId),
      body: context.body,
      contentType: context.headers.get('content-type'),
    });
    return sequencedReceipt(event.seq, false);
  }
}
