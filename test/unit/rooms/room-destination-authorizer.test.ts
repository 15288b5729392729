import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { AppError } from '../../../app/src/errors/app-error.js';
import type { Principal } from '../../../app/src/realtime/auth/principal.js';
import { createRoomsFixture, type RoomsFixture } from '../../support/rooms-fixture.js';

describe('RoomDestinationAuthorizer', () => {
  let f: RoomsFixture;
  let member: Principal;
  let outsider: Principal;
  let room: string;

  beforeAll(async () => {
    f = await createRoomsFixture();
    const alice = await f.accounts.register({ username: 'alice', password: 'alice-password' });
    const mallory = await f.accounts.register({ username: 'mallory', password: 'mallory-password' });
    member = { userId: alice.id, username: 'alice' };
    outsider = { userId: mallory.id, username: 'mallory' };
    room = (await f.roomService.create(alice.id, { kind: 'public', name: 'general' })).id;
  });
  afterAll(() => f.close());

  async function outcome(run: () => Promise<void>): Promise<string> {
    try {
      await run();
      return 'allowed';
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return `${error.code}: ${error.message}`;
    }
  }

  const subscribe = (who: () => Principal, destination: () => string) => () =>
    f.authorizer.authorizeSubscribe(who(), destination());
  const send = (who: () => Principal, destination: () => string) => () =>
    f.authorizer.authorizeSend(who(), destination());
  const me = () => member;
  const them = () => outsider;

  it.each<[string, () => () => Promise<void>, RegExp]>([
    ['member SUBSCRIBE /topic/rooms.{id}', () => subscribe(me, () => `/topic/rooms.${room}`), /^allowed$/],
    [
      'member SUBSCRIBE /topic/rooms.{id}.typing',
      () => subscribe(me, () => `/topic/rooms.${room}.typing`),
      /^allowed$/,
    ],
    [
      'member SUBSCRIBE /topic/rooms.{id}.presence',
      () => subscribe(me, () => `/topic/rooms.${room}.presence`),
      /^allowed$/,
    ],
    ['member SEND /app/rooms.{id}', () => send(me, () => `/app/rooms.${room}`), /^allowed$/],
    ['member SEND /app/rooms.{id}.typing', () => send(me, () => `/app/rooms.${room}.typing`), /^allowed$/],
    [
      'outsider SUBSCRIBE /topic/rooms.{id}',
      () => subscribe(them, () => `/topic/rooms.${room}`),
      /^AUTH_FORBIDDEN: you are not a member of room/,
    ],
    [
      'outsider SUBSCRIBE /topic/rooms.{id}.typing',
      () => subscribe(them, () => `/topic/rooms.${room}.typing`),
      /^AUTH_FORBIDDEN/,
    ],
    [
      'outsider SEND /app/rooms.{id}',
      () => send(them, () => `/app/rooms.${room}`),
      /^AUTH_FORBIDDEN: you are not a member/,
    ],
    [
      'member SEND straight to /topic/rooms.{id}',
      () => send(me, () => `/topic/rooms.${room}`),
      /^AUTH_FORBIDDEN: send to \/app\/rooms\.[0-9a-f-]{36}; \/topic\/rooms\.\* is server-published$/,
    ],
    [
      'member SUBSCRIBE /app/rooms.{id}',
      () => subscribe(me, () => `/app/rooms.${room}`),
      /^AUTH_FORBIDDEN: subscribe to \/topic\/rooms\./,
    ],
    [
      'a room id that is not a UUID',
      () => subscribe(me, () => '/topic/rooms.general'),
      /^DESTINATION_INVALID: .*lowercase UUID/,
    ],
    ['an upper-case room id', () => subscribe(me, () => `/topic/rooms.${room.toUpperCase()}`), /^DESTINATION_INVALID/],
    ['an empty room id', () => send(me, () => '/app/rooms.'), /^DESTINATION_INVALID/],
    ['an empty suffix', () => subscribe(me, () => `/topic/rooms.${room}.`), /^DESTINATION_INVALID: .*invalid suffix/],
    ['a wildcard over rooms', () => subscribe(them, () => '/topic/rooms.*'), /^DESTINATION_INVALID: .*wildcard/],
    ['a wildcard elsewhere', () => subscribe(them, () => '/topic/#'), /^DESTINATION_INVALID: .*wildcard/],
    ['any user SUBSCRIBE another topic', () => subscribe(them, () => '/topic/announcements'), /^allowed$/],
    ['any user SEND another /app destination', () => send(them, () => '/app/session.renew'), /^allowed$/],
    ['any user SUBSCRIBE /user/queue/errors', () => subscribe(them, () => '/user/queue/errors'), /^allowed$/],
    ['/topic/roomsX is not a room destination', () => subscribe(them, () => '/topic/roomsX'), /^allowed$/],
  ])('%s', async (_name, make, expected) => {
    expect(await outcome(make())).toMatch(expected);
  });

  // What RoomMemberGuard passes: the route the frame matched, its roomId parsed by the route table.
  const matched = (destination: string, params: Record<string, string>) => ({ destination, params });
  it.each<[string, () => () => Promise<void>, RegExp]>([
    [
      'member SEND on a matched /app/rooms.{roomId}.read',
      () => () => f.authorizer.authorizeSend(member, matched(`/app/rooms.${room}.read`, { roomId: room })),
      /^allowed$/,
    ],
    [
      'outsider SUBSCRIBE on a matched /topic/rooms.{roomId}.typing',
      () => () => f.authorizer.authorizeSubscribe(outsider, matched(`/topic/rooms.${room}.typing`, { roomId: room })),
      /^AUTH_FORBIDDEN: you are not a member of room/,
    ],
    [
      'a matched room id that is not a lowercase UUID',
      () => () =>
        f.authorizer.authorizeSend(member, matched(`/app/rooms.${room.toUpperCase()}`, { roomId: room.toUpperCase() })),
      /^DESTINATION_INVALID: .*expected \/app\/rooms\.\{room id, a lowercase UUID\}/,
    ],
    [
      'a matched wildcard room id',
      () => () => f.authorizer.authorizeSubscribe(outsider, matched('/topic/rooms.*', { roomId: '*' })),
      /^DESTINATION_INVALID: .*wildcard/,
    ],
    [
      'a matched route outside the rooms is parsed as a destination',
      () => () => f.authorizer.authorizeSend(outsider, matched('/app/session.renew', {})),
      /^allowed$/,
    ],
  ])('%s', async (_name, make, expected) => {
    expect(await outcome(make())).toMatch(expected);
  });

  it('follows membership changes at once, through the cache', async () => {
    const destination = `/topic/rooms.${room}`;
    expect(await outcome(() => f.authorizer.authorizeSubscribe(outsider, destination))).toMatch(/^AUTH_FORBIDDEN/);
    await f.membershipService.join(outsider.userId, room);
    expect(await outcome(() => f.authorizer.authorizeSubscribe(outsider, destination))).toBe('allowed');
    await f.membershipService.leave(outsider.userId, room);
    expect(await outcome(() => f.authorizer.authorizeSubscribe(outsider, destination))).toMatch(/^AUTH_FORBIDDEN/);
  });

  it('answers repeated checks from the cache', async () => {
    const destination = `/app/rooms.${room}`;
    await f.authorizer.authorizeSend(member, destination);
    const lookups = jest.spyOn(f.memberships, 'find');
    try {
      for (let i = 0; i < 5; i += 1) await f.authorizer.authorizeSend(member, destination);
      expect(lookups).not.toHaveBeenCalled();
    } finally {
      lookups.mockRestore();
    }
  });
});
