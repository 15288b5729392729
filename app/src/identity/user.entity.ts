import { EntitySchema } from 'typeorm';

/** A row of `users` as the application sees it. */
export interface UserRecord {
  id: string;
  /** Unique, compared case-insensitively (see the migration). */
  username: string;
  displayName: string;
  /** scrypt hash with its parameters; see password-hasher.ts. */
  passwordHash: string;
  createdAt: Date;
}

// Column types here only steer how typeorm converts values; the DDL lives in the
// migrations (synchronize is always off), which is why ids are 'varchar' here and
// CHAR(36) there: typeorm's SQLite driver has no 'char' type.
export const UserEntity = new EntitySchema<UserRecord>({
  name: 'User',
  tableName: 'users',
  columns: {
    id: { type: 'varchar', length: 36, primary: true },
    username: { type: 'varchar', length: 32 },
    displayName: { name: 'display_name', type: 'varchar', length: 64 },
    passwordHash: { name: 'password_hash', type: 'varchar', length: 255 },
    createdAt: { name: 'created_at', type: 'datetime' },
  },
});
