import { describe, expect, it } from '@jest/globals';
import { ensureMongoAppUser } from '../../../app/src/messages/store/mongo/mongo-users.js';

/** Records the admin commands; `usersInfo` answers whether the user exists. */
function adminWith(existing: boolean) {
  const commands: Array<Record<string, unknown>> = [];
  return {
    commands,
    admin: {
      command: (command: Record<string, unknown>) => {
        commands.push(command);
        return Promise.resolve('usersInfo' in command ? { users: existing ? [{ user: 'chat_app' }] : [] } : { ok: 1 });
      },
    },
  };
}

describe('ensureMongoAppUser', () => {
  const login = { user: 'chat_app', password: 'secret' };
  const roles = [{ role: 'readWrite', db: 'chat' }];

  it('creates the user with readWrite on the chat database only', async () => {
    const { admin, commands } = adminWith(false);
    expect(await ensureMongoAppUser(admin, login, 'chat')).toBe('created');
    expect(commands).toEqual([{ usersInfo: 'chat_app' }, { createUser: 'chat_app', pwd: 'secret', roles }]);
  });

  it('resets password and roles of an existing user (a rotated secret takes effect)', async () => {
    const { admin, commands } = adminWith(true);
    expect(await ensureMongoAppUser(admin, login, 'chat')).toBe('updated');
    expect(commands[1]).toEqual({ updateUser: 'chat_app', pwd: 'secret', roles });
  });
});
