import { CreateIdentityTables1795598400000 } from './migrations/1795598400000-create-identity-tables.js';
import { CreateRoomTables1795598400001 } from './migrations/1795598400001-create-room-tables.js';
import { CreateMessagesTable1795598500000 } from './migrations/1795598500000-create-messages-table.js';
import { AddMessageTargetSeq1795598600000 } from './migrations/1795598600000-add-message-target-seq.js';
import { CreateAccessRevocations1795598700000 } from './migrations/1795598700000-create-access-revocations.js';

/**
 * Every migration, oldest first. Listed by class rather than found by a file glob: globs
 * differ between ts-jest, tsc output and bundles, and a missed file fails silently.
 * The messages feature appends its own here.
 */
export const MIGRATIONS = [
  CreateIdentityTables1795598400000,
  CreateRoomTables1795598400001,
  CreateMessagesTable1795598500000,
  AddMessageTargetSeq1795598600000,
  CreateAccessRevocations1795598700000,
];
