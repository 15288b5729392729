import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { runPendingMigrations } from '../../app/src/database/run-migrations.js';
import { Transactions } from '../../app/src/database/transactions.js';
import { AppError } from '../../app/src/errors/app-error.js';
import type { RefreshTokenRecord } from '../../app/src/identity/refresh-token.entity.js';
import { RefreshTokensRepository } from '../../app/src/identity/refresh-tokens.repository.js';
import type { UserRecord } from '../../app/src/identity/user.entity.js';
import { UsersRepository } from '../../app/src/identity/users.repository.js';
import type { MembershipRecord } from '../../app/src/rooms/membership.entity.js';
import { MembershipsRepository } from '../../app/src/rooms/memberships.repository.js';
import type { RoomRecord } from '../../app/src/rooms/room.entity.js';
import { RoomsRepository } from '../../app/src/rooms/rooms.repository.js';

const MIGRATION_NAMES = [
  'CreateIdentityTables1795598400000',
  'CreateRoomTables1795598400001',
  'CreateMessagesTable1795598500000',
  'AddMessageTargetSeq1795598600000',
  'CreateAccessRevocations1795598700000',
];

/** Builds a DataSource on an empty database, not yet initialised; `drop` removes it. */
export type MakeDataSource = () => Promise<{ dataSource: DataSource; drop(): Promise<void> }>;

/**
 * The contract of the relational store: migrations and every repository, run unchanged
 * against each engine (SQLite and MySQL/MariaDB).
 */
export function describeStore(name: string, makeDataSource: MakeDataSource): void {
  describe(`relational store on ${name}`, () => {
    let dataSource: DataSource;
    let drop: () => Promise<void>;
    let users: UsersRepository;
    let tokens: RefreshTokensRepository;
    let rooms: RoomsRepository;
    let memberships: MembershipsRepository;

    beforeAll(async () => {
      ({ dataSource, drop } = await makeDataSource());
      await dataSource.initialize();
      const transactions = new Transactions(dataSource);
      users = new UsersRepository(dataSource, transactions);
      tokens = new RefreshTokensRepository(dataSource, transactions);
      rooms = new RoomsRepository(dataSource, transactions);
      memberships = new MembershipsRepository(dataSource, transactions);
    });

    afterAll(async () => {
      if (dataSource?.isInitialized) await dataSource.destroy();
      await drop?.();
    });

    const at = (iso: string) => new Date(iso);
    const newUser = (username: string): UserRecord => ({
      id: randomUUID(),
      username,
      displayName: `${username} display`,
      passwordHash: 'scrypt$hash',
      createdAt: at('2026-01-02T03:04:05.678Z'),
    });
    const newRoom = (kind: RoomRecord['kind'], name: string | null, createdBy: string): RoomRecord => ({
      id: randomUUID(),
      kind,
      name,
      topic: null,
      createdBy,
      directKey: null,
      createdAt: at('2026-01-02T03:04:05.678Z'),
      updatedAt: at('2026-01-02T03:04:05.678Z'),
    });
    const member = (roomId: string, userId: string, role: MembershipRecord['role']): MembershipRecord => ({
      roomId,
      userId,
      role,
      joinedAt: new Date(),
      lastReadSeq: 0,
    });
    const newToken = (userId: string, familyId: string, expiresAt: Date): RefreshTokenRecord => ({
      id: randomUUID(),
      userId,
      familyId,
      tokenHash: randomUUID().replace(/-/g, '').padEnd(64, '0'),
      createdAt: new Date(),
      expiresAt,
      revokedAt: null,
      replacedBy: null,
    });

    describe('migrations', () => {
      it('apply every migration in order on an empty database, then find nothing left to do', async () => {
        expect(await runPendingMigrations(dataSource)).toEqual(MIGRATION_NAMES);
        expect(await runPendingMigrations(dataSource)).toEqual([]);
        expect(await dataSource.showMigrations()).toBe(false);
      });

      it('create the tables, keys and indexes the repositories rely on', async () => {
        const runner = dataSource.createQueryRunner();
        try {
          const usersTable = await runner.getTable('users');
          expect(usersTable?.columns.map((column) => column.name).sort()).toEqual(
            ['created_at', 'display_name', 'id', 'password_hash', 'username'].sort(),
          );
          expect(usersTable?.primaryColumns.map((column) => column.name)).toEqual(['id']);

          const tokensTable = await runner.getTable('refresh_tokens');
          expect(tokensTable?.columns.map((column) => column.name).sort()).toEqual(
            [
              'created_at',
              'expires_at',
              'family_id',
              'id',
              'replaced_by',
              'revoked_at',
              'token_hash',
              'user_id',
            ].sort(),
          );
          expect(
            tokensTable?.foreignKeys.map((fk) => [
              fk.columnNames,
              fk.referencedTableName.replace(/^.*\./, ''),
              fk.onDelete,
            ]),
          ).toEqual([[['user_id'], 'users', 'CASCADE']]);

          const roomsTable = await runner.getTable('rooms');
          expect(roomsTable?.findColumnByName('direct_key')?.isNullable).toBe(true);
          const membershipsTable = await runner.getTable('memberships');
          expect(membershipsTable?.primaryColumns.map((column) => column.name).sort()).toEqual(['room_id', 'user_id']);
          expect(membershipsTable?.findColumnByName('last_read_seq')?.default).toMatch(/^'?0'?$/);
          expect(membershipsTable?.foreignKeys.map((fk) => fk.columnNames[0]).sort()).toEqual(['room_id', 'user_id']);
          const messagesTable = await runner.getTable('messages');
          expect(messagesTable?.findColumnByName('target_seq')?.isNullable).toBe(true);
          expect(messagesTable?.indices.find((index) => index.name === 'ix_messages_target')?.columnNames).toEqual([
            'room_id',
            'target_seq',
          ]);
        } finally {
          await runner.release();
        }
      });

      it('revert cleanly and apply again', async () => {
        for (let undone = 0; undone < MIGRATION_NAMES.length; undone++) await dataSource.undoLastMigration();
        const runner = dataSource.createQueryRunner();
        try {
          for (const table of ['users', 'refresh_tokens', 'rooms', 'memberships', 'messages'])
            expect(await runner.hasTable(table)).toBe(false);
        } finally {
          await runner.release();
        }
        expect(await runPendingMigrations(dataSource)).toEqual(MIGRATION_NAMES);
      });
    });

    describe('users', () => {
      it('round-trips a user, timestamps to the millisecond', async () => {
        const alice = newUser('alice');
        await users.insert(alice);
        expect(await users.findById(alice.id)).toEqual(alice);
        expect(await users.findByIds([alice.id, randomUUID()])).toEqual([alice]);
        expect(await users.findById(randomUUID())).toBeNull();
      });

      it('matches and reserves usernames case-insensitively on every engine', async () => {
        const bob = newUser('Bob.Smith');
        await users.insert(bob);
        expect((await users.findByUsername('bob.smith'))?.id).toBe(bob.id);
        const clash = users.insert(newUser('BOB.SMITH'));
        await expect(clash).rejects.toBeInstanceOf(AppError);
        await expect(clash).rejects.toMatchObject({ code: 'USER_EXISTS' });
      });

      it('stores any Unicode in display names', async () => {
        const user = { ...newUser('unicode'), displayName: 'Zoë 🦊 名前' };
        await users.insert(user);
        expect((await users.findById(user.id))?.displayName).toBe('Zoë 🦊 名前');
      });
    });

    describe('refresh tokens', () => {
      it('rotates a live token exactly once, even when two rotations race', async () => {
        const user = newUser('rotator');
        await users.insert(user);
        const familyId = randomUUID();
        const first = newToken(user.id, familyId, at('2099-01-01T00:00:00.000Z'));
        await tokens.insert(first);
        expect(await tokens.findByHash(first.tokenHash)).toEqual(first);

        const a = newToken(user.id, familyId, at('2099-01-01T00:00:00.000Z'));
        const b = newToken(user.id, familyId, at('2099-01-01T00:00:00.000Z'));
        const now = at('2026-06-01T00:00:00.000Z');
        const outcomes = await Promise.all([tokens.rotate(first.id, a, now), tokens.rotate(first.id, b, now)]);
        expect([...outcomes].sort()).toEqual([false, true]);
        const winner = outcomes[0] ? a : b;
        const spent = await tokens.findById(first.id);
        expect(spent?.revokedAt).toEqual(now);
        expect(spent?.replacedBy).toBe(winner.id);
        expect(await tokens.findByHash(winner.tokenHash)).not.toBeNull();
        expect(await tokens.findByHash((winner === a ? b : a).tokenHash)).toBeNull();
      });

      it('revokes a whole family and reports how many tokens were live', async () => {
        const user = newUser('family');
        await users.insert(user);
        const familyId = randomUUID();
        const other = newToken(user.id, randomUUID(), at('2099-01-01T00:00:00.000Z'));
        await tokens.insert(newToken(user.id, familyId, at('2099-01-01T00:00:00.000Z')));
        await tokens.insert(newToken(user.id, familyId, at('2099-01-01T00:00:00.000Z')));
        await tokens.insert(other);
        expect(await tokens.revokeFamily(familyId, new Date())).toBe(2);
        expect(await tokens.revokeFamily(familyId, new Date())).toBe(0);
        expect((await tokens.findById(other.id))?.revokedAt).toBeNull();
      });

      it('deletes only expired tokens', async () => {
        const user = newUser('sweeper');
        await users.insert(user);
        const expired = newToken(user.id, randomUUID(), at('2026-01-01T00:00:00.000Z'));
        const live = newToken(user.id, randomUUID(), at('2026-03-01T00:00:00.000Z'));
        await tokens.insert(expired);
        await tokens.insert(live);
        expect(await tokens.deleteExpired(at('2026-02-01T00:00:00.000Z'))).toBeGreaterThanOrEqual(1);
        expect(await tokens.findById(expired.id)).toBeNull();
        expect(await tokens.findById(live.id)).not.toBeNull();
      });
    });

    describe('rooms and memberships', () => {
      let owner: UserRecord;
      let guest: UserRecord;

      beforeAll(async () => {
        owner = newUser('owner');
        guest = newUser('guest');
        await users.insert(owner);
        await users.insert(guest);
      });

      it('creates a room together with its owner', async () => {
        const room = { ...newRoom('private', 'secret', owner.id), topic: 'plans' };
        await rooms.insertWithMembers(room, [member(room.id, owner.id, 'owner')]);
        expect(await rooms.findById(room.id)).toEqual(room);
        expect(await memberships.find(room.id, owner.id)).toMatchObject({ role: 'owner', lastReadSeq: 0 });
      });

      it('creates nothing when one of the first members cannot be stored', async () => {
        const room = newRoom('public', 'half', owner.id);
        const create = rooms.insertWithMembers(room, [
          member(room.id, owner.id, 'owner'),
          member(room.id, owner.id, 'member'),
        ]);
        await expect(create).rejects.toThrow();
        expect(await rooms.findById(room.id)).toBeNull();
      });

      it('keeps concurrent writers apart: a failed unit of work rolls back only itself', async () => {
        const good = Array.from({ length: 5 }, (_, index) => newRoom('public', `parallel-${index}`, owner.id));
        const bad = newRoom('public', 'parallel-bad', owner.id);
        const results = await Promise.allSettled([
          ...good.map((room) => rooms.insertWithMembers(room, [member(room.id, owner.id, 'owner')])),
          rooms.insertWithMembers(bad, [member(bad.id, owner.id, 'owner'), member(bad.id, owner.id, 'owner')]),
        ]);
        expect(results.map((result) => result.status)).toEqual([...good.map(() => 'fulfilled'), 'rejected']);
        for (const room of good) expect(await rooms.findById(room.id)).not.toBeNull();
        expect(await rooms.findById(bad.id)).toBeNull();
      });

      it('lists public rooms by name, a page at a time', async () => {
        const page = await rooms.listPublic(3, 0);
        expect(page.every((room) => room.kind === 'public')).toBe(true);
        expect(page.map((room) => room.name)).toEqual(['parallel-0', 'parallel-1', 'parallel-2']);
        expect((await rooms.listPublic(3, 3)).map((room) => room.name)).toEqual(['parallel-3', 'parallel-4']);
      });

      it('creates a direct room once per pair, even when both sides ask at the same time', async () => {
        const directKey = [owner.id, guest.id].sort().join(':');
        const attempt = () => {
          const room = { ...newRoom('direct', null, owner.id), directKey };
          return rooms.insertDirect(room, [member(room.id, owner.id, 'member'), member(room.id, guest.id, 'member')]);
        };
        const [first, second] = await Promise.all([attempt(), attempt()]);
        expect([first.created, second.created].sort()).toEqual([false, true]);
        expect(first.room.id).toBe(second.room.id);
        const third = await attempt();
        expect(third).toEqual({ room: first.room, created: false });
        expect((await memberships.listByRoom(first.room.id)).map((m) => m.userId).sort()).toEqual(
          [owner.id, guest.id].sort(),
        );
      });

      it('updates name and topic and stamps updated_at', async () => {
        const room = newRoom('public', 'before', owner.id);
        await rooms.insertWithMembers(room, [member(room.id, owner.id, 'owner')]);
        const now = at('2026-05-05T05:05:05.555Z');
        expect(await rooms.update(room.id, { name: 'after', topic: 'new topic' }, now)).toEqual({
          ...room,
          name: 'after',
          topic: 'new topic',
          updatedAt: now,
        });
        expect(await rooms.update(randomUUID(), { name: 'x' }, now)).toBeNull();
      });

      it('adds, lists, re-roles and removes members; refuses a duplicate', async () => {
        const room = newRoom('private', 'team', owner.id);
        await rooms.insertWithMembers(room, [member(room.id, owner.id, 'owner')]);
        await memberships.insert(member(room.id, guest.id, 'member'));
        await expect(memberships.insert(member(room.id, guest.id, 'admin'))).rejects.toMatchObject({
          code: 'ROOM_MEMBER_EXISTS',
        });
        expect((await memberships.listByRoom(room.id)).map((m) => [m.userId, m.role])).toEqual([
          [owner.id, 'owner'],
          [guest.id, 'member'],
        ]);
        expect((await memberships.listByUser(guest.id)).map((m) => m.roomId)).toContain(room.id);
        expect(await memberships.setRole(room.id, guest.id, 'admin')).toBe(true);
        expect((await memberships.find(room.id, guest.id))?.role).toBe('admin');
        const alongside = async () => 'revoked';
        expect(await memberships.delete(room.id, guest.id, alongside)).toBe('revoked');
        expect(await memberships.delete(room.id, guest.id, alongside)).toBeUndefined();
        expect(await memberships.find(room.id, guest.id)).toBeNull();
      });

      it('moves read markers forward only, as numbers', async () => {
        const room = newRoom('public', 'reading', owner.id);
        await rooms.insertWithMembers(room, [member(room.id, owner.id, 'owner')]);
        expect(await memberships.markRead(room.id, owner.id, 42)).toBe(true);
        expect(await memberships.markRead(room.id, owner.id, 7)).toBe(false);
        expect((await memberships.find(room.id, owner.id))?.lastReadSeq).toBe(42);
        expect(await memberships.markRead(room.id, owner.id, 2 ** 40)).toBe(true);
        expect((await memberships.find(room.id, owner.id))?.lastReadSeq).toBe(2 ** 40);
      });

      it('deletes a room with its memberships and reports who was in it', async () => {
        const room = newRoom('public', 'doomed', owner.id);
        await rooms.insertWithMembers(room, [member(room.id, owner.id, 'owner'), member(room.id, guest.id, 'member')]);
        const formerMembers = async (_: unknown, members: string[]) => members;
        expect((await rooms.delete(room.id, formerMembers))?.sort()).toEqual([owner.id, guest.id].sort());
        expect(await rooms.findById(room.id)).toBeNull();
        expect(await memberships.listByRoom(room.id)).toEqual([]);
        expect(await rooms.delete(room.id, formerMembers)).toBeNull();
      });

      it("cascades a user's deletion to their tokens and memberships and keeps their rooms", async () => {
        const leaver = newUser('leaver');
        await users.insert(leaver);
        const room = newRoom('public', 'orphan', leaver.id);
        await rooms.insertWithMembers(room, [member(room.id, leaver.id, 'owner')]);
        const token = newToken(leaver.id, randomUUID(), at('2099-01-01T00:00:00.000Z'));
        await tokens.insert(token);

        expect(await users.delete(leaver.id, async () => true)).toBe(true);
        expect(await users.delete(leaver.id, async () => true)).toBeUndefined();
        expect(await tokens.findById(token.id)).toBeNull();
        expect(await memberships.listByUser(leaver.id)).toEqual([]);
        expect((await rooms.findById(room.id))?.createdBy).toBeNull();
      });
    });
  });
}
