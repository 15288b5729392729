import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ExecutionContext } from '@nestjs/common';
import { AppError } from '../../../app/src/errors/app-error.js';
import type { AppSendContext } from '../../../app/src/realtime/app-destinations.js';
import { MembershipCache } from '../../../app/src/rooms/membership-cache.js';
import { MembershipsService } from '../../../app/src/rooms/memberships.service.js';
import { RoomEvents } from '../../../app/src/rooms/room-events.js';
import { RoomModeratorGuard } from '../../../app/src/rooms/room-moderator.guard.js';
import { RoomsRepository } from '../../../app/src/rooms/rooms.repository.js';
import { Transactions } from '../../../app/src/database/transactions.js';
import { createRoomsFixture, type RoomsFixture } from '../../support/rooms-fixture.js';

/** The frame a gateway's guards see, as Nest hands it over for a SEND. */
function sendContext(userId: string, params: Record<string, string>): ExecutionContext {
  const message: AppSendContext = {
    command: 'SEND',
    principal: { userId, username: userId },
    sessionId: 'session-1',
    destination: `/app/rooms.${params['roomId'] ?? 'x'}.announce`,
    params,
    headers: new Map(),
    body: Buffer.alloc(0),
  };
  return { switchToWs: () => ({ getData: () => message }) } as unknown as ExecutionContext;
}

describe('RoomModeratorGuard', () => {
  let f: RoomsFixture;
  let guard: RoomModeratorGuard;
  const ids: Record<'owner' | 'admin' | 'member' | 'outsider', string> = {
    owner: '',
    admin: '',
    member: '',
    outsider: '',
  };
  let room: string;

  beforeAll(async () => {
    f = await createRoomsFixture();
    for (const name of Object.keys(ids) as Array<keyof typeof ids>) {
      ids[name] = (await f.accounts.register({ username: name, password: `${name}-password` })).id;
    }
    room = (await f.roomService.create(ids.owner, { kind: 'private', name: 'moderated' })).id;
    await f.membershipService.add(ids.owner, room, { userId: ids.admin }, 'admin');
    await f.membershipService.add(ids.owner, room, { userId: ids.member }, 'member');
    guard = new RoomModeratorGuard(f.membershipService);
  });
  afterAll(() => f.close());

  async function outcome(g: RoomModeratorGuard, userId: string): Promise<string> {
    try {
      return String(await g.canActivate(sendContext(userId, { roomId: room })));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return `${error.code}: ${error.message}`;
    }
  }

  it.each<[keyof typeof ids, string]>([
    ['owner', 'true'],
    ['admin', 'true'],
    ['member', 'AUTH_FORBIDDEN: only the owner or admins of room'],
    ['outsider', 'AUTH_FORBIDDEN: only the owner or admins of room'],
  ])('%s → %s', async (who, expected) => {
    expect(await outcome(guard, ids[who])).toMatch(new RegExp(`^${expected}`));
  });

  it('takes the right away at once when an admin is demoted, even where the membership cache still says admin', async () => {
    const demotee = (await f.accounts.register({ username: 'demotee', password: 'demotee-password' })).id;
    await f.membershipService.add(ids.owner, room, { userId: demotee }, 'admin');
    // Another instance: its own cache, the same database. It has seen the admin role.
    const transactions = new Transactions(f.dataSource);
    const otherInstance = new MembershipsService(
      f.memberships,
      new RoomsRepository(f.dataSource, transactions),
      f.accounts,
      new MembershipCache(),
      new RoomEvents(),
      f.revocations,
    );
    const otherGuard = new RoomModeratorGuard(otherInstance);
    expect(await otherInstance.roleOf(room, demotee)).toBe('admin');
    expect(await outcome(otherGuard, demotee)).toBe('true');

    // What the owner's REST calls do: DELETE /rooms/{id}/members/{userId}, then POST …/members as member.
    await f.membershipService.remove(ids.owner, room, demotee);
    await f.membershipService.add(ids.owner, room, { userId: demotee }, 'member');

    expect(await otherInstance.roleOf(room, demotee)).toBe('admin'); // stale there, on purpose
    expect(await outcome(otherGuard, demotee)).toMatch(/^AUTH_FORBIDDEN: only the owner or admins of room/);
  });

  it('is a programming error on a destination without {roomId}', async () => {
    await expect(guard.canActivate(sendContext(ids.owner, {}))).rejects.toThrow(/needs a \{roomId\}/);
  });
});
