import { afterEach, describe, expect, it } from '@jest/globals';
import { createRoomsFixture, type RoomsFixture } from '../../support/rooms-fixture.js';

/**
 * A change and its revocation commit together: when the revocation cannot be stored, the change
 * is not made either and the caller gets 503 REVOCATION_UNAVAILABLE, never a success that live
 * sessions would not hear about.
 */
describe('revocations commit with their change', () => {
  let f: RoomsFixture | undefined;
  afterEach(async () => {
    await f?.close();
  });

  it('refuses a member removal whose revocation cannot be stored, and keeps the member', async () => {
    f = await createRoomsFixture();
    const owner = await f.accounts.register({ username: 'atom_owner', password: 'correct horse battery' });
    const member = await f.accounts.register({ username: 'atom_member', password: 'correct horse battery' });
    const room = await f.roomService.create(owner.id, { kind: 'private', name: 'atomic' });
    await f.membershipService.add(owner.id, room.id, { username: 'atom_member' });
    const removed: string[] = [];
    f.roomEvents.onMemberRemoved((_roomId, userId) => removed.push(userId));

    await f.dataSource.query('DROP TABLE access_revocations');
    await expect(f.membershipService.remove(owner.id, room.id, member.id)).rejects.toMatchObject({
      code: 'REVOCATION_UNAVAILABLE',
    });
    expect(await f.membershipService.freshRoleOf(room.id, member.id)).toBe('member');
    expect(removed).toEqual([]);
  });

  it('stores the revocation of a removal, for the other instances to read', async () => {
    f = await createRoomsFixture();
    const owner = await f.accounts.register({ username: 'atom_owner2', password: 'correct horse battery' });
    const member = await f.accounts.register({ username: 'atom_member2', password: 'correct horse battery' });
    const room = await f.roomService.create(owner.id, { kind: 'private', name: 'atomic' });
    await f.membershipService.add(owner.id, room.id, { username: 'atom_member2' });
    const since = new Date(Date.now() - 1_000);
    await f.membershipService.remove(owner.id, room.id, member.id);
    const stored = await f.revocations.createdSince(since);
    expect(stored).toMatchObject([{ kind: 'member', userId: member.id, roomId: room.id, reason: 'removed' }]);
  });
});
