import type { DatabaseLogin } from '../../../config/app-config.js';

/** What runs an admin command: the driver's `Admin` (`connection.db.admin()`). */
export interface AdminCommands {
  command(command: Record<string, unknown>): Promise<Record<string, unknown>>;
}

/**
 * The message store's app user on MongoDB/DocumentDB: `readWrite` on the chat database only
 * (reads, writes and the indexes the store creates when it opens), instead of the master user.
 * Created on the first run, password and role reset on every later one, so a rotated secret is
 * applied by the next deploy's migration run.
 */
export async function ensureMongoAppUser(
  admin: AdminCommands,
  login: DatabaseLogin,
  database: string,
): Promise<'created' | 'updated'> {
  const roles = [{ role: 'readWrite', db: database }];
  const info = await admin.command({ usersInfo: login.user });
  const exists = Array.isArray(info['users']) && info['users'].length > 0;
  if (exists) {
    await admin.command({ updateUser: login.user, pwd: login.password, roles });
    return 'updated';
  }
  await admin.command({ createUser: login.user, pwd: login.password, roles });
  return 'created';
}
