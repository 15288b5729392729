import {
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
  type Type,
} from '@nestjs/common';
import type { Logger } from 'pino';
import { BackplaneModule } from '../backplane/backplane.module.js';
import { BACKPLANE, type Backplane } from '../backplane/backplane.port.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/app-config.token.js';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DeregistrationWatcher, taskAddressFromMetadata } from '../ops/deregistration-watcher.js';
import { EmfReporter } from '../ops/emf.js';
import { GracefulDrain } from '../ops/graceful-drain.js';
import { HealthCheckTracker } from '../ops/health-check-tracker.js';
import { LOGGER } from '../ops/logger.js';
import { Readiness } from '../ops/readiness.js';
import { ServiceMetrics } from '../ops/service-metrics.js';
import { ShutdownFlushes } from '../ops/shutdown-flushes.js';
import { AUTHENTICATOR, type Authenticator } from './auth/authenticator.port.js';
import { DESTINATION_AUTHORIZER, REALTIME_AUTHORIZER } from './auth/destination-authorizer.port.js';
import { RealtimeServer } from './realtime-server.js';
import type { ReservedHeaders } from './server-owned-headers.js';

@Injectable()
class RealtimeLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly emf: EmfReporter;
  private readonly deregistration: DeregistrationWatcher | undefined;

  constructor(
    @Inject(RealtimeServer) private readonly realtime: RealtimeServer,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(ServiceMetrics) metrics: ServiceMetrics,
    @Inject(GracefulDrain) private readonly drain: GracefulDrain,
    @Inject(LOGGER) log: Logger,
    @Inject(HealthCheckTracker) healthChecks: HealthCheckTracker,
  ) {
    metrics.gauge('stomp_connections', 'Open STOMP sessions on this instance', () => realtime.connectionCount);
    metrics.gauge('stomp_subscriptions', 'Active subscriptions on this instance', () => realtime.subscriptionCount);
    metrics.gauge('stomp_destinations', 'Destinations with local subscribers', () => realtime.fanout.destinationCount);
    this.emf = new EmfReporter(
      config.metrics.serviceName,
      config.metrics.emfIntervalMs,
      () => realtime.connectionCount,
    );
    const { shutdown, http } = config;
    if (
      shutdown.drainOnDeregistration &&
      shutdown.targetGroupArn !== undefined &&
      shutdown.ecsMetadataUri !== undefined
    ) {
      const metadataUri = shutdown.ecsMetadataUri;
      this.deregistration = new DeregistrationWatcher(
        new ElasticLoadBalancingV2Client({}),
        shutdown.targetGroupArn,
        () => taskAddressFromMetadata(metadataUri, http.port),
        shutdown.deregistrationPollMs,
        () => void this.drain.run(),
        log.child({ layer: 'drain' }),
        healthChecks,
        shutdown.healthCheckSilenceMs,
      );
    }
  }

  // The WebSocket door itself is opened by the STOMP adapter (app.useWebSocketAdapter) when
  // Nest connects the gateways.
  onApplicationBootstrap(): void {
    this.emf.start();
    this.deregistration?.start();
  }

  // Before, not on, shutdown: Nest closes the HTTP server in between, and that waits for
  // every upgraded socket, so the sessions must be drained first.
  async beforeApplicationShutdown(): Promise<void> {
    this.emf.stop();
    this.deregistration?.stop();
    await this.drain.run();
    this.realtime.close();
  }
}

/**
 * The STOMP-over-WebSocket layer. `auth` is the module that exports AUTHENTICATOR and
 * DESTINATION_AUTHORIZER: the identity modules, or the development stand-ins. Destinations
 * come from the gateways (see app/src/gateways), bound by the StompWsAdapter. `reservedHeaders`
 * are the headers the domain stamps, which the core strips from client SENDs.
 */
@Module({})
export class RealtimeModule {
  static register(auth: Type | DynamicModule, reservedHeaders: ReservedHeaders): DynamicModule {
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
        {
          // Exported so main.ts can start it the moment a signal arrives, before Nest runs
          // any other module's shutdown hook (some of which wait on I/O).
          provide: GracefulDrain,
          useFactory: (
            realtime: RealtimeServer,
            readiness: Readiness,
            config: AppConfig,
            flushes: ShutdownFlushes,
            log: Logger,
          ) => new GracefulDrain(realtime, readiness, config.shutdown.drainMs, flushes, log.child({ layer: 'drain' })),
          inject: [RealtimeServer, Readiness, APP_CONFIG, ShutdownFlushes, LOGGER],
        },
        RealtimeLifecycle,
        // The guards of every gateway ask this one: the room authorizer, or allow-all in
        // development. Only this module exports it, so no feature picks up another one.
        { provide: REALTIME_AUTHORIZER, useExisting: DESTINATION_AUTHORIZER },
      ],
      exports: [RealtimeServer, BackplaneModule, GracefulDrain, REALTIME_AUTHORIZER],
    };
  }
}
