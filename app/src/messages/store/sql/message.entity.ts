import { EntitySchema } from 'typeorm';
import type { StoredMessage } from '../stored-message.js';

// mysql2 hands BIGINT back as a string; sequences stay far below 2^53, so a number is exact.
const bigintAsNumber = { to: (value: number) => value, from: (value: string | number) => Number(value) };
const nullableBigintAsNumber = {
  to: (value: number | null) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};

/** A row of `messages` (created by migration CreateMessagesTable1795598500000; target_seq by AddMessageTargetSeq1795598600000). */
export const MessageEntity = new EntitySchema<StoredMessage>({
  name: 'Message',
  tableName: 'messages',
  columns: {
    roomId: { name: 'room_id', type: 'varchar', length: 36, primary: true },
    seq: { type: 'bigint', primary: true, transformer: bigintAsNumber },
    id: { type: 'varchar', length: 255 },
    kind: { type: 'varchar', length: 16, default: 'message' },
    targetSeq: { name: 'target_seq', type: 'bigint', nullable: true, transformer: nullableBigintAsNumber },
    senderId: { name: 'sender_id', type: 'varchar', length: 100 },
    senderName: { name: 'sender_name', type: 'varchar', length: 100 },
    contentType: { name: 'content_type', type: 'varchar', length: 255 },
    // MEDIUMBLOB on MySQL, BLOB on SQLite (the migration decides); both come back as a Buffer.
    body: { type: 'blob' },
    clientMsgId: { name: 'client_msg_id', type: 'varchar', length: 128, nullable: true },
    createdAt: { name: 'created_at', type: 'datetime' },
    editedAt: { name: 'edited_at', type: 'datetime', nullable: true },
    deletedAt: { name: 'deleted_at', type: 'datetime', nullable: true },
  },
});
