import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '../errors/app-error.js';
import type { DestinationAuthorizer, MatchedDestination } from '../realtime/auth/destination-authorizer.port.js';
import type { Principal } from '../realtime/auth/principal.js';
import { MembershipsService } from './memberships.service.js';
import {
  parseRoomDestination,
  roomDestinationOf,
  roomFamilyPattern,
  roomOfMatched,
  type RoomDestination,
} from './room-destinations.js';

// Broker wildcards (RabbitMQ '*' and '#', ActiveMQ '>'): a pattern could span rooms.
const WILDCARDS = /[*#>]/;

/**
 * Authorizes STOMP destinations against room membership.
 *
 * | destination                                  | SUBSCRIBE             | SEND                  |
 * |----------------------------------------------|-----------------------|-----------------------|
 * | /topic/rooms.{roomId}[.{suffix}]             | members of the room   | refused: server-published |
 * | /app/rooms.{roomId}[.{suffix}]               | refused: SEND only    | members of the room   |
 * | any other /topic/**, /app/**, /user/queue/** | any authenticated user | any authenticated user |
 *
 * "Any other" includes /app/session.renew and similar application handlers, which the
 * realtime layer owns and checks itself; per-user queues are resolved to the caller's own
 * user by the realtime layer. Room ids must be UUIDs, and wildcard characters are refused
 * anywhere, so no pattern can reach a room's traffic around this check. Membership is read
 * through the MembershipsService cache.
 *
 * A destination a room route already matched (the gateways' guard passes it so) is not parsed
 * again: its `roomId` is checked and its family is the command's (routes only let SUBSCRIBE
 * reach /topic/ and SEND reach /app/).
 */
@Injectable()
export class RoomDestinationAuthorizer implements DestinationAuthorizer {
  constructor(@Inject(MembershipsService) private readonly memberships: MembershipsService) {}

  authorizeSubscribe(principal: Principal, destination: string | MatchedDestination): Promise<void> {
    return this.authorize(principal, destination, 'topic');
  }

  authorizeSend(principal: Principal, destination: string | MatchedDestination): Promise<void> {
    return this.authorize(principal, destination, 'app');
  }

  /** `family` is the one the command may use: SUBSCRIBE topics, SEND to /app. */
  private async authorize(
    principal: Principal,
    destination: string | MatchedDestination,
    family: RoomDestination['family'],
  ): Promise<void> {
    const room = roomOf(destination, family);
    if (room === undefined) return;
    if (room.family !== family) throw wrongFamily(room.roomId, family);
    return this.requireMember(principal, room.roomId);
  }

  private async requireMember(principal: Principal, roomId: string): Promise<void> {
    if ((await this.memberships.roleOf(roomId, principal.userId)) === null) {
      throw new AppError('AUTH_FORBIDDEN', `you are not a member of room ${roomId}`);
    }
  }
}

/** The room a destination names (undefined: not a room's), `family` being what a matched route implies. */
function roomOf(
  destination: string | MatchedDestination,
  family: RoomDestination['family'],
): Pick<RoomDestination, 'family' | 'roomId'> | undefined {
  const name = typeof destination === 'string' ? destination : destination.destination;
  checkNoWildcards(name);
  if (typeof destination === 'string') return parseRoomDestination(destination);
  const param = destination.params['roomId'];
  const roomId = param === undefined ? undefined : roomOfMatched(name, family, param);
  return roomId === undefined ? parseRoomDestination(name) : { family, roomId };
}

function wrongFamily(roomId: string, family: RoomDestination['family']): AppError {
  return new AppError(
    'AUTH_FORBIDDEN',
    family === 'topic'
      ? `subscribe to ${roomDestinationOf('topic', roomId)}; ${roomFamilyPattern('app')} accepts SEND only`
      : `send to ${roomDestinationOf('app', roomId)}; ${roomFamilyPattern('topic')} is server-published`,
  );
}

function checkNoWildcards(destination: string): void {
  if (WILDCARDS.test(destination)) {
    throw new AppError(
      'DESTINATION_INVALID',
      `'${destination}' contains a wildcard (*, #, >); subscribe to each room by its id`,
    );
  }
}
