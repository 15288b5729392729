import { isUtf8 } from 'node:buffer';
import { ApiProperty, ApiPropertyOptional } from '../../http/openapi-decorators.js';
import type { MessageKind, StoredMessage } from '../store/stored-message.js';

/** One message or edit/delete event of a room's history, as the REST API shows it. */
export class MessageView {
  @ApiProperty({ description: 'The STOMP message-id subscribers saw' }) id!: string;
  @ApiProperty({ description: "The room's sequence number (the MESSAGE's x-seq)" }) seq!: number;
  @ApiProperty({
    enum: ['message', 'edit', 'delete'],
    description: 'A chat message, or an event (x-event) that changed the message at targetSeq',
  })
  kind!: MessageKind;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'For an edit or delete: the seq of the message it changed',
  })
  targetSeq!: number | null;
  @ApiProperty({ description: 'Who sent it; for an event, who made the change' }) senderId!: string;
  @ApiProperty({ description: "The sender's username when it was sent (x-sender)" }) sender!: string;
  @ApiProperty() contentType!: string;
  @ApiProperty({
    description:
      'The body: UTF-8 text, or base64 when `encoding` says so. A message shows its latest edit and is empty once ' +
      'deleted; an edit event holds the new content (empty once its message is deleted); a delete event is empty',
  })
  body!: string;
  @ApiPropertyOptional({ enum: ['base64'], description: 'Present only when the body is not valid UTF-8' })
  encoding?: 'base64';
  @ApiProperty({ type: String, nullable: true, description: "The sender's x-client-msg-id" }) clientMsgId!:
    string | null;
  @ApiProperty({ format: 'date-time', description: 'When the server sequenced it' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: "A message's latest edit" })
  editedAt!: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Set on a deleted message (a tombstone)',
  })
  deletedAt!: string | null;

  static of(message: StoredMessage): MessageView {
    const text = isUtf8(message.body);
    return {
      id: message.id,
      seq: message.seq,
      kind: message.kind,
      targetSeq: message.targetSeq,
      senderId: message.senderId,
      sender: message.senderName,
      contentType: message.contentType,
      body: message.body.toString(text ? 'utf8' : 'base64'),
      ...(text ? {} : { encoding: 'base64' as const }),
      clientMsgId: message.clientMsgId,
      createdAt: message.createdAt.toISOString(),
      editedAt: message.editedAt?.toISOString() ?? null,
      deletedAt: message.deletedAt?.toISOString() ?? null,
    };
  }
}

/** GET /rooms/{id}/messages */
export class MessagePageView {
  @ApiProperty({ type: [MessageView], description: 'Newest first' }) messages!: MessageView[];
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Pass as `before` to get the next, older page; null when there is none',
  })
  nextBefore!: number | null;
}
