import { REVOCATION_TABLES } from './revocations/revocation-tables.js';
import { combineTables } from './database/feature-tables.js';
import { IDENTITY_TABLES } from './identity/identity-tables.js';
import { MESSAGE_TABLES } from './messages/store/sql/message-tables.js';
import { ROOM_TABLES } from './rooms/room-tables.js';

/** Every relational table of the service, from the features that own them. */
export const APP_TABLES = combineTables(IDENTITY_TABLES, ROOM_TABLES, MESSAGE_TABLES, REVOCATION_TABLES);
