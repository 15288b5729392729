import {
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
  type Type,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Logger } from 'pino';
import { BackplaneModule } from '../backplane/backplane.module.js';
import { BACKPLANE, type Backplane } from '../backplane/backplane.port.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/app-config.token.js';
import { LOGGER } from '../ops/logger.js';
import { AUTHENTICATOR, type Authenticator } from './auth/authenticator.port.js';
import { DESTINATION_AUTHORIZER, type DestinationAuthorizer } from './auth/destination-authorizer.port.js';
import { RealtimeServer } from './realtime-server.js';

@Injectable()
class RealtimeLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(RealtimeServer) private readonly realtime: RealtimeServer,
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
  ) {}

  onApplicationBootstrap(): void {
    this.realtime.attach(this.adapterHost.httpAdapter.getHttpServer());
  }

  // Before, not on, shutdown: Nest closes the HTTP server in between, and that waits for
  // every upgraded socket, so the sessions must be closed first.
  beforeApplicationShutdown(): void {
    this.realtime.close();
  }
}

/**
 * The STOMP-over-WebSocket layer. `auth` is the module that exports AUTHENTICATOR and
 * DESTINATION_AUTHORIZER: the identity modules, or the development stand-ins.
 */
@Module({})
export class RealtimeModule {
  static register(auth: Type | DynamicModule): DynamicModule {
    return {
      module: RealtimeModule,
      imports: [BackplaneModule, auth],
      providers: [
        {
          provide: RealtimeServer,
          useFactory: (
            config: AppConfig,
            backplane: Backplane,
            authenticator: Authenticator,
            authorizer: DestinationAuthorizer,
            log: Logger,
          ) => new RealtimeServer({ config, backplane, authenticator, authorizer, log: log.child({ layer: 'realtime' }) }),
          inject: [APP_CONFIG, BACKPLANE, AUTHENTICATOR, DESTINATION_AUTHORIZER, LOGGER],
        },
        RealtimeLifecycle,
      ],
      exports: [RealtimeServer, BackplaneModule],
    };
  }
}
