import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { stompMessageOf } from '../gateways/stomp-params.decorators.js';
import { REALTIME_AUTHORIZER, type DestinationAuthorizer } from '../realtime/auth/destination-authorizer.port.js';

/**
 * Only members of the room a destination names get through (SEND to /app/rooms.{roomId}…,
 * SUBSCRIBE to /topic/rooms.{roomId}…). Asks the realtime layer's authorizer with the route the
 * frame matched (its `roomId` parsed once, by the route table); the authorizer reads membership
 * through the cache and refuses malformed room ids and wildcards with DESTINATION_INVALID; in
 * development (AUTH_DEV_ACCEPT_ANY) it lets everyone in.
 */
@Injectable()
export class RoomMemberGuard implements CanActivate {
  constructor(@Inject(REALTIME_AUTHORIZER) private readonly authorizer: DestinationAuthorizer) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const message = stompMessageOf(context);
    if (message.command === 'SUBSCRIBE') await this.authorizer.authorizeSubscribe(message.principal, message);
    else await this.authorizer.authorizeSend(message.principal, message);
    return true;
  }
}
