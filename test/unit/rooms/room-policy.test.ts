import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { AppError } from '../../../app/src/errors/app-error.js';
import { createRoomsFixture, type RoomsFixture } from '../../support/rooms-fixture.js';

/** The authorization policy as the services apply it, role by role. */
describe('room policy', () => {
  let f: RoomsFixture;
  const id: Record<string, string> = {};
  let room: string;
  const removed: string[] = [];

  async function code(run: () => Promise<unknown>): Promise<string> {
    try {
      await run();
      return 'ok';
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return error.code;
    }
  }

  beforeAll(async () => {
    f = await createRoomsFixture();
    for (const name of ['owner', 'admin', 'admin2', 'member', 'member2', 'outsider']) {
      id[name] = (await f.accounts.register({ username: name, password: `${name}-password` })).id;
    }
    f.roomEvents.onMemberRemoved((roomId, userId, reason) =>
      removed.push(`${roomId === room ? 'room' : roomId}:${userId}:${reason}`),
    );
  });
  afterAll(() => f.close());

  // A fresh private room per test: owner, two admins, two members.
  beforeEach(async () => {
    removed.length = 0;
    room = (await f.roomService.create(id.owner!, { kind: 'private', name: 'team' })).id;
    await f.membershipService.add(id.owner!, room, { userId: id.admin }, 'admin');
    await f.membershipService.add(id.owner!, room, { userId: id.admin2 }, 'admin');
    await f.membershipService.add(id.owner!, room, { userId: id.member }, 'member');
    await f.membershipService.add(id.owner!, room, { userId: id.member2 });
  });

  it.each<[string, string, () => [string, string | undefined], string]>([
    ['owner adds an admin', 'owner', () => ['outsider', 'admin'], 'ok'],
    ['admin adds a member', 'admin', () => ['outsider', 'member'], 'ok'],
    ['admin adds an admin', 'admin', () => ['outsider', 'admin'], 'AUTH_FORBIDDEN'],
    ['member adds a member', 'member', () => ['outsider', undefined], 'AUTH_FORBIDDEN'],
    ['outsider adds a member', 'outsider', () => ['outsider', undefined], 'ROOM_NOT_FOUND'],
    ['anyone adds a second owner', 'owner', () => ['outsider', 'owner'], 'VALIDATION_FAILED'],
  ])('%s → %s', async (_name, actor, target, expected) => {
    const [who, role] = target();
    expect(
      await code(() =>
        f.membershipService.add(id[actor]!, room, { userId: id[who] }, role as 'admin' | 'member' | undefined),
      ),
    ).toBe(expected);
  });

  it.each<[string, string, string, string]>([
    ['owner removes an admin', 'owner', 'admin', 'ok'],
    ['owner removes a member', 'owner', 'member', 'ok'],
    ['admin removes a member', 'admin', 'member', 'ok'],
    ['admin removes another admin', 'admin', 'admin2', 'AUTH_FORBIDDEN'],
    ['admin removes the owner', 'admin', 'owner', 'ROOM_OWNER_IMMUTABLE'],
    ['member removes a member', 'member', 'member2', 'AUTH_FORBIDDEN'],
    ['admin removes a non-member', 'admin', 'outsider', 'ROOM_NOT_MEMBER'],
    ['member removes themself (= leave)', 'member', 'member', 'ok'],
    ['owner removes themself', 'owner', 'owner', 'ROOM_OWNER_IMMUTABLE'],
  ])('%s → %s', async (_name, actor, target, expected) => {
    expect(await code(() => f.membershipService.remove(id[actor]!, room, id[target]!))).toBe(expected);
  });

  it.each<[string, string, string]>([
    ['owner', 'update', 'ok'],
    ['admin', 'update', 'ok'],
    ['member', 'update', 'AUTH_FORBIDDEN'],
    ['outsider', 'update', 'ROOM_NOT_FOUND'],
    ['admin', 'delete', 'AUTH_FORBIDDEN'],
    ['member', 'leave', 'ok'],
    ['owner', 'leave', 'ROOM_OWNER_IMMUTABLE'],
    ['outsider', 'leave', 'ROOM_NOT_FOUND'],
    ['outsider', 'join', 'ROOM_NOT_FOUND'],
    ['outsider', 'get', 'ROOM_NOT_FOUND'],
    ['member', 'get', 'ok'],
    ['owner', 'delete', 'ok'],
  ])('%s may %s a private room → %s', async (actor, action, expected) => {
    const user = id[actor]!;
    const actions: Record<string, () => Promise<unknown>> = {
      update: () => f.roomService.update(user, room, { topic: 'new' }),
      delete: () => f.roomService.delete(user, room),
      leave: () => f.membershipService.leave(user, room),
      join: () => f.membershipService.join(user, room),
      get: () => f.roomService.get(user, room),
    };
    expect(await code(actions[action]!)).toBe(expected);
  });

  it('announces removals with their reason, after they are stored', async () => {
    await f.membershipService.remove(id.owner!, room, id.member!);
    await f.membershipService.leave(id.member2!, room);
    expect(removed).toEqual([`room:${id.member}:removed`, `room:${id.member2}:left`]);
    removed.length = 0;
    await f.roomService.delete(id.owner!, room);
    expect(removed.sort()).toEqual(
      [`room:${id.owner}:room deleted`, `room:${id.admin}:room deleted`, `room:${id.admin2}:room deleted`].sort(),
    );
  });

  it('invalidates the cached membership on every change', async () => {
    expect(await f.membershipService.roleOf(room, id.member!)).toBe('member');
    await f.membershipService.remove(id.admin!, room, id.member!);
    expect(await f.membershipService.roleOf(room, id.member!)).toBeNull();
    expect(await f.membershipService.roleOf(room, id.outsider!)).toBeNull();
    await f.membershipService.add(id.owner!, room, { userId: id.outsider });
    expect(await f.membershipService.roleOf(room, id.outsider!)).toBe('member');
    await f.roomService.delete(id.owner!, room);
    expect(await f.membershipService.roleOf(room, id.owner!)).toBeNull();
  });

  it('moves read markers forward for members only', async () => {
    await f.membershipService.markRead(id.member!, room, 10);
    await f.membershipService.markRead(id.member!, room, 3);
    expect((await f.memberships.find(room, id.member!))?.lastReadSeq).toBe(10);
    expect(await code(() => f.membershipService.markRead(id.outsider!, room, 1))).toBe('AUTH_FORBIDDEN');
    expect(await code(() => f.membershipService.markRead(id.member!, room, -1))).toBe('VALIDATION_FAILED');
  });

  describe('direct rooms', () => {
    it('have exactly their two members, whatever anyone tries', async () => {
      const { room: direct } = await f.roomService.openDirect(id.member!, { userId: id.member2 });
      expect(await code(() => f.membershipService.leave(id.member!, direct.id))).toBe('ROOM_DIRECT_FIXED');
      expect(await code(() => f.membershipService.add(id.member!, direct.id, { userId: id.outsider }))).toBe(
        'ROOM_DIRECT_FIXED',
      );
      expect(await code(() => f.membershipService.remove(id.member!, direct.id, id.member2!))).toBe(
        'ROOM_DIRECT_FIXED',
      );
      expect(await code(() => f.roomService.update(id.member!, direct.id, { name: 'x' }))).toBe('ROOM_DIRECT_FIXED');
      expect(await code(() => f.roomService.delete(id.member!, direct.id))).toBe('ROOM_DIRECT_FIXED');
      expect(await code(() => f.membershipService.join(id.outsider!, direct.id))).toBe('ROOM_NOT_FOUND');
      expect(await code(() => f.roomService.get(id.outsider!, direct.id))).toBe('ROOM_NOT_FOUND');
    });

    it('come out the same from concurrent requests of both sides', async () => {
      const [a, b] = await Promise.all([
        f.roomService.openDirect(id.admin!, { userId: id.admin2 }),
        f.roomService.openDirect(id.admin2!, { username: 'admin' }),
      ]);
      expect(a.room.id).toBe(b.room.id);
      expect([a.created, b.created].filter(Boolean)).toHaveLength(1);
    });
  });
});
