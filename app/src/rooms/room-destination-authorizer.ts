import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '../errors/app-error.js';
import type { DestinationAuthorizer } from '../realtime/auth/destination-authorizer.port.js';
import type { Principal } from '../realtime/auth/principal.js';
import { MembershipsService } from './memberships.service.js';

// Lowercase only, as the service issues them: one room must not be reachable under two
// spellings, which the realtime layer would treat as two channels.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// After the room id: dot-separated words, e.g. "typing" or "presence".
const SUFFIX = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
// Broker wildcards (RabbitMQ '*' and '#', ActiveMQ '>'): a pattern could span rooms.
const WILDCARDS = /[*#>]/;

type Room = { readonly roomId: string; readonly suffix: string | undefined };

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
 */
@Injectable()
export class RoomDestinationAuthorizer implements DestinationAuthorizer {
  constructor(@Inject(MembershipsService) private readonly memberships: MembershipsService) {}

  async authorizeSubscribe(principal: Principal, destination: string): Promise<void> {
    checkNoWildcards(destination);
    const topic = roomOf(destination, '/topic/rooms.');
    if (topic !== undefined) return this.requireMember(principal, topic);
    const app = roomOf(destination, '/app/rooms.');
    if (app !== undefined) {
      throw new AppError('AUTH_FORBIDDEN', `subscribe to /topic/rooms.${app.roomId}; /app/rooms.* accepts SEND only`);
    }
  }

  async authorizeSend(principal: Principal, destination: string): Promise<void> {
    checkNoWildcards(destination);
    const topic = roomOf(destination, '/topic/rooms.');
    if (topic !== undefined) {
      throw new AppError('AUTH_FORBIDDEN', `send to /app/rooms.${topic.roomId}; /topic/rooms.* is server-published`);
    }
    const app = roomOf(destination, '/app/rooms.');
    if (app !== undefined) return this.requireMember(principal, app);
  }

  private async requireMember(principal: Principal, room: Room): Promise<void> {
    if ((await this.memberships.roleOf(room.roomId, principal.userId)) === null) {
      throw new AppError('AUTH_FORBIDDEN', `you are not a member of room ${room.roomId}`);
    }
  }
}

/** The room a destination under `prefix` names, or undefined when it is not under it. */
function roomOf(destination: string, prefix: string): Room | undefined {
  if (!destination.startsWith(prefix)) return undefined;
  const rest = destination.slice(prefix.length);
  const dot = rest.indexOf('.');
  const roomId = dot === -1 ? rest : rest.slice(0, dot);
  const suffix = dot === -1 ? undefined : rest.slice(dot + 1);
  if (!UUID.test(roomId)) {
    throw new AppError(
      'DESTINATION_INVALID',
      `'${destination}' does not name a room: expected ${prefix}{room id, a lowercase UUID}`,
    );
  }
  if (suffix !== undefined && !SUFFIX.test(suffix)) {
    throw new AppError('DESTINATION_INVALID', `'${destination}' has an invalid suffix after the room id`);
  }
  return { roomId, suffix };
}

function checkNoWildcards(destination: string): void {
  if (WILDCARDS.test(destination)) {
    throw new AppError(
      'DESTINATION_INVALID',
      `'${destination}' contains a wildcard (*, #, >); subscribe to each room by its id`,
    );
  }
}
