import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { AppError } from '../errors/app-error.js';
import { stompMessageOf } from '../gateways/stomp-params.decorators.js';
import { MembershipsService } from './memberships.service.js';
import { RANK } from './room-policy.js';

/**
 * Only the room's owner and admins get through, for destinations with a `{roomId}`. The role
 * is read fresh, never from the membership cache, like every REST decision that grants
 * more than membership: a demoted admin loses the right at once. Put it after RoomMemberGuard.
 */
@Injectable()
export class RoomModeratorGuard implements CanActivate {
  constructor(@Inject(MembershipsService) private readonly memberships: MembershipsService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const { params, principal } = stompMessageOf(context);
    const roomId = params['roomId'];
    if (roomId === undefined) throw new Error('RoomModeratorGuard needs a {roomId} in the destination pattern');
    const role = await this.memberships.freshRoleOf(roomId, principal.userId);
    if (role === null || RANK[role] < RANK.admin) {
      throw new AppError('AUTH_FORBIDDEN', `only the owner or admins of room ${roomId} may do this`);
    }
    return true;
  }
}
