import { type DynamicModule, Inject, Injectable, Module, type OnModuleInit, type Type } from '@nestjs/common';
import { BACKPLANE, type Backplane } from '../backplane/backplane.port.js';
import { IdentityEvents } from '../identity/identity-events.js';
import { JwtAuthenticator } from '../identity/jwt-authenticator.js';
import { RealtimeServer } from '../realtime/realtime-server.js';
import { MembershipCache } from '../rooms/membership-cache.js';
import { RoomEvents } from '../rooms/room-events.js';
import { AccessRelay } from './access-relay.js';
import { SessionRenewHandler } from './session-renew.handler.js';
import { SessionGateway } from './session.gateway.js';

@Injectable()
class AccessWiring implements OnModuleInit {
  constructor(
    @Inject(BACKPLANE) private readonly backplane: Backplane,
    @Inject(RealtimeServer) private readonly realtime: RealtimeServer,
    @Inject(MembershipCache) private readonly memberships: MembershipCache,
    @Inject(IdentityEvents) private readonly identityEvents: IdentityEvents,
    @Inject(RoomEvents) private readonly roomEvents: RoomEvents,
  ) {}

  onModuleInit(): void {
    const relay = new AccessRelay(this.backplane, this.realtime, this.memberships);
    const report = (error: unknown) => this.realtime.log.error({ err: error }, 'relaying an access change failed');
    this.identityEvents.onUserSessionsRevoked((userId, reason) => void relay.userRevoked(userId, reason).catch(report));
    this.roomEvents.onMemberRemoved(
      (roomId, userId, reason) => void relay.memberRemoved(roomId, userId, reason).catch(report),
    );
  }
}

/**
 * Glue between identity/rooms and the realtime layer: revocations and membership removals
 * reach live sessions on every instance, and sessions renew their token in-band.
 */
@Module({})
export class AccessModule {
  static register(realtime: DynamicModule, auth: Type): DynamicModule {
    return {
      module: AccessModule,
      imports: [realtime, auth],
      providers: [
        AccessWiring,
        {
          provide: SessionRenewHandler,
          inject: [JwtAuthenticator],
          useFactory: (jwt: JwtAuthenticator) => new SessionRenewHandler(jwt),
        },
        SessionGateway,
      ],
    };
  }
}
