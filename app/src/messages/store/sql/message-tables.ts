import type { FeatureTables } from '../../../database/feature-tables.js';
import { MessageEntity } from './message.entity.js';
import { CreateMessagesTable1795598500000 } from './migrations/1795598500000-create-messages-table.js';
import { AddMessageTargetSeq1795598600000 } from './migrations/1795598600000-add-message-target-seq.js';

/** The SQL message store's table (used when messages live in MySQL or SQLite). */
export const MESSAGE_TABLES: FeatureTables = {
  entities: [MessageEntity],
  migrations: [CreateMessagesTable1795598500000, AddMessageTargetSeq1795598600000],
};
