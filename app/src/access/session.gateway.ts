import { Inject } from '@nestjs/common';
import { MessageMapping, StompGateway, SubscribeMapping } from '../gateways/stomp-gateway.decorators.js';
import { StompMessage } from '../gateways/stomp-params.decorators.js';
import type { AppSendContext, SendReply } from '../realtime/app-destinations.js';
import { SessionRenewHandler } from './session-renew.handler.js';

/**
 * What every connected session may use, whoever it is: in-band token renewal, and the user's
 * own notifications queue (own by construction: the realtime layer maps it to this user).
 */
@StompGateway()
export class SessionGateway {
  constructor(@Inject(SessionRenewHandler) private readonly renewal: SessionRenewHandler) {}

  @MessageMapping('/app/session.renew')
  renew(@StompMessage() message: AppSendContext): Promise<SendReply> {
    return this.renewal.handle(message);
  }

  @SubscribeMapping('/user/queue/notifications')
  notifications(): void {}
}
