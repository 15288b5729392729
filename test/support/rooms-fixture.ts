import { Transactions } from '../../app/src/database/transactions.js';
import { MembershipCache } from '../../app/src/rooms/membership-cache.js';
import { MembershipsRepository } from '../../app/src/rooms/memberships.repository.js';
import { MembershipsService } from '../../app/src/rooms/memberships.service.js';
import { RoomDestinationAuthorizer } from '../../app/src/rooms/room-destination-authorizer.js';
import { RoomEvents } from '../../app/src/rooms/room-events.js';
import { RoomReadStates } from '../../app/src/rooms/room-read-states.js';
import { RoomsRepository } from '../../app/src/rooms/rooms.repository.js';
import { RoomsService } from '../../app/src/rooms/rooms.service.js';
import { createIdentityFixture, type IdentityFixture } from './identity-fixture.js';

/** The rooms services wired by hand on the identity fixture's SQLite file. */
export interface RoomsFixture extends IdentityFixture {
  readonly memberships: MembershipsRepository;
  readonly cache: MembershipCache;
  readonly roomEvents: RoomEvents;
  readonly membershipService: MembershipsService;
  readonly roomService: RoomsService;
  readonly authorizer: RoomDestinationAuthorizer;
}

export async function createRoomsFixture(): Promise<RoomsFixture> {
  const identity = await createIdentityFixture();
  const transactions = new Transactions(identity.dataSource);
  const rooms = new RoomsRepository(identity.dataSource, transactions);
  const memberships = new MembershipsRepository(identity.dataSource, transactions);
  const cache = new MembershipCache();
  const roomEvents = new RoomEvents();
  const membershipService = new MembershipsService(
    memberships,
    rooms,
    identity.accounts,
    cache,
    roomEvents,
    identity.revocations,
  );
  const roomService = new RoomsService(
    rooms,
    memberships,
    membershipService,
    identity.accounts,
    roomEvents,
    new RoomReadStates(),
    identity.revocations,
  );
  return {
    ...identity,
    memberships,
    cache,
    roomEvents,
    membershipService,
    roomService,
    authorizer: new RoomDestinationAuthorizer(membershipService),
  };
}
