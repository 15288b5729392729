import {
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type BeforeApplicationShutdown,
  type Type,
} from '@nestjs/common';
import type { Logger } from 'pino';
import { BackplaneModule } from '../backplane/backplane.module.js';
import { BACKPLANE, type Backplane } from '../backplane/backplane.port.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/app-config.token.js';
import { DRAINABLE_SESSIONS, type DrainableSessions } from '../ops/drainable-sessions.port.js';
import { LOGGER } from '../ops/logger.js';
import { ServiceMetrics } from '../ops/service-metrics.js';
import { AUTHENTICATOR, type Authenticator } from './auth/authenticator.port.js';
import { DESTINATION_AUTHORIZER, REALTIME_AUTHORIZER } from './auth/destination-authorizer.port.js';
import { RealtimeServer } from './realtime-server.js';
import type { ReservedHeaders } from './server-owned-headers.js';
import type { StompSession } from './stomp-session.js';

@Injectable()
class RealtimeLifecycle implements BeforeApplicationShutdown {
  constructor(
    @Inject(RealtimeServer) private readonly realtime: RealtimeServer,
    @Inject(ServiceMetrics) metrics: ServiceMetrics,
  ) {
    metrics.gauge('stomp_connections', 'Open STOMP sessions on this instance', () => realtime.connectionCount);
    metrics.gauge('stomp_subscriptions', 'Active subscriptions on this instance', () => realtime.subscriptionCount);
    metrics.gauge('stomp_destinations', 'Destinations with local subscribers', () => realtime.fanout.destinationCount);
  }

  // The WebSocket door itself is opened by the STOMP adapter (app.useWebSocketAdapter) when
  // Nest connects the gateways. The ops DrainModule, which imports this module, has drained
  // the sessions by the time this runs.
  beforeApplicationShutdown(): void {
    this.realtime.close();
  }
}

/** The realtime server as the ops side's drain sees it. */
function drainableSessions(realtime: RealtimeServer): DrainableSessions<StompSession> {
  return {
    get connectionCount() {
      return realtime.connectionCount;
    },
    openSessions: () => [...realtime.registry.all()],
    stopAccepting: () => realtime.stopAccepting(),
    closeSessions: (sessions, reconnectAfterMs) => realtime.closeSessions(sessions, reconnectAfterMs),
  };
}

/**
 * The STOMP-over-WebSocket layer. `auth` are the modules that export AUTHENTICATOR and
 * DESTINATION_AUTHORIZER: the identity and rooms modules, or the development stand-ins. Destinations
 * come from the gateways (see app/src/gateways), bound by the StompWsAdapter. `reservedHeaders`
 * are the headers the domain stamps, which the core strips from client SENDs.
 */
@Module({})
export class RealtimeModule {
  static register(auth: readonly Type[], reservedHeaders: ReservedHeaders): DynamicModule {
    return {
      module: RealtimeModule,
      imports: [BackplaneModule, ...auth],
      providers: [
        {
          provide: RealtimeServer,
          useFactory: (
            config: AppConfig,
            backplane: Backplane,
            authenticator: Authenticator,
            log: Logger,
            metrics: ServiceMetrics,
          ) =>
            new RealtimeServer({
              config,
              backplane,
              authenticator,
              log: log.child({ layer: 'realtime' }),
              reservedHeaders,
              metrics,
              onDelivered: (count, publishedAt) => metrics.delivered(count, publishedAt),
            }),
          inject: [APP_CONFIG, BACKPLANE, AUTHENTICATOR, LOGGER, ServiceMetrics],
        },
        { provide: DRAINABLE_SESSIONS, useFactory: drainableSessions, inject: [RealtimeServer] },
        RealtimeLifecycle,
        // The guards of every gateway ask this one: the room authorizer, or allow-all in
        // development. Only this module exports it, so no feature picks up another one.
        { provide: REALTIME_AUTHORIZER, useExisting: DESTINATION_AUTHORIZER },
      ],
      exports: [RealtimeServer, BackplaneModule, DRAINABLE_SESSIONS, REALTIME_AUTHORIZER],
    };
  }
}
