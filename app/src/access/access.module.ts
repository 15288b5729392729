import {
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { BACKPLANE, type Backplane } from '../backplane/backplane.port.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/app-config.token.js';
import { IdentityEvents } from '../identity/identity-events.js';
import { IdentityModule } from '../identity/identity.module.js';
import { JwtAuthenticator } from '../identity/jwt-authenticator.js';
import { RealtimeServer } from '../realtime/realtime-server.js';
import { MembershipCache } from '../rooms/membership-cache.js';
import { RoomEvents } from '../rooms/room-events.js';
import { RoomsModule } from '../rooms/rooms.module.js';
import { AccessRelay } from './access-relay.js';
import { RevocationLog } from '../revocations/revocation-log.js';
import { RevocationsModule } from '../revocations/revocations.module.js';
import { SessionRenewHandler } from './session-renew.handler.js';
import { SessionGateway } from './session.gateway.js';

@Injectable()
class AccessWiring implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private relay: AccessRelay | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(BACKPLANE) private readonly backplane: Backplane,
    @Inject(RealtimeServer) private readonly realtime: RealtimeServer,
    @Inject(MembershipCache) private readonly memberships: MembershipCache,
    @Inject(IdentityEvents) private readonly identityEvents: IdentityEvents,
    @Inject(RoomEvents) private readonly roomEvents: RoomEvents,
    @Inject(RevocationLog) private readonly revocations: RevocationLog,
  ) {}

  onModuleInit(): void {
    const relay = new AccessRelay(
      this.backplane,
      this.realtime,
      this.memberships,
      this.revocations,
      this.config.revocations,
    );
    this.relay = relay;
    this.identityEvents.onUserSessionsRevoked((_userId, _reason, revocation) => void relay.announce(revocation));
    this.roomEvents.onMemberRemoved((_roomId, _userId, _reason, revocation) => void relay.announce(revocation));
  }

  onApplicationBootstrap(): void {
    this.relay?.start();
  }

  onModuleDestroy(): void {
    this.relay?.stop();
  }
}

/**
 * Glue between identity/rooms and the realtime layer: stored revocations (logouts, membership
 * removals) reach live sessions on every instance, and sessions renew their token in-band.
 */
@Module({})
export class AccessModule {
  static register(realtime: DynamicModule): DynamicModule {
    return {
      module: AccessModule,
      imports: [realtime, IdentityModule, RoomsModule, RevocationsModule],
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
