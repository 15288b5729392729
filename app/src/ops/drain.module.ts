import {
  type BeforeApplicationShutdown,
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/app-config.token.js';
import type { DeregistrationWatcher } from './deregistration-watcher.js';
import { DRAINABLE_SESSIONS, type DrainableSessions } from './drainable-sessions.port.js';
import { EmfReporter } from './emf.js';
import { GracefulDrain } from './graceful-drain.js';
import { HealthCheckTracker } from './health-check-tracker.js';
import { LOGGER } from './logger.js';
import { Readiness } from './readiness.js';
import { ShutdownFlushes } from './shutdown-flushes.js';

const DEREGISTRATION_WATCHER = Symbol('DeregistrationWatcher');

/**
 * The watcher when configured (on ECS, with a target group), else null. Its file, and the AWS
 * SDK's ELB client with it, is imported only then: elsewhere the client would only hold memory.
 */
async function watchDeregistration(
  config: AppConfig,
  drain: GracefulDrain,
  log: Logger,
  healthChecks: HealthCheckTracker,
): Promise<DeregistrationWatcher | null> {
  const { drainOnDeregistration, targetGroupArn, ecsMetadataUri } = config.shutdown;
  if (!drainOnDeregistration || targetGroupArn === undefined || ecsMetadataUri === undefined) return null;
  const { createDeregistrationWatcher } = await import('./elb-deregistration.js');
  return createDeregistrationWatcher(
    config,
    { targetGroupArn, ecsMetadataUri },
    () => void drain.run(),
    log.child({ layer: 'drain' }),
    healthChecks,
  );
}

@Injectable()
class DrainLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly emf: EmfReporter;

  constructor(
    @Inject(DRAINABLE_SESSIONS) sessions: DrainableSessions,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(GracefulDrain) private readonly drain: GracefulDrain,
    @Inject(DEREGISTRATION_WATCHER) private readonly deregistration: DeregistrationWatcher | null,
  ) {
    this.emf = new EmfReporter(
      config.metrics.serviceName,
      config.metrics.emfIntervalMs,
      () => sessions.connectionCount,
    );
  }

  onApplicationBootstrap(): void {
    this.emf.start();
    this.deregistration?.start();
  }

  // Before, not on, shutdown: Nest closes the HTTP server in between, and that waits for
  // every upgraded socket, so the sessions must be drained first. This module imports the
  // sessions' module, so Nest runs this hook before that module's own (which closes the door).
  async beforeApplicationShutdown(): Promise<void> {
    this.emf.stop();
    this.deregistration?.stop();
    await this.drain.run();
  }
}

/**
 * Leaving the load balancer cleanly: the graceful drain (on SIGTERM, on shutdown, or as soon as
 * the ALB deregisters this task) and the ActiveConnections metric autoscaling tracks. `sessions`
 * is the module that exports DRAINABLE_SESSIONS: the realtime module.
 */
@Module({})
export class DrainModule {
  static register(sessions: DynamicModule): DynamicModule {
    return {
      module: DrainModule,
      imports: [sessions],
      providers: [
        {
          // Exported so main.ts can start it the moment a signal arrives, before Nest runs
          // any other module's shutdown hook (some of which wait on I/O).
          provide: GracefulDrain,
          useFactory: (
            sessions: DrainableSessions,
            readiness: Readiness,
            config: AppConfig,
            flushes: ShutdownFlushes,
            log: Logger,
          ) => new GracefulDrain(sessions, readiness, config.shutdown.drainMs, flushes, log.child({ layer: 'drain' })),
          inject: [DRAINABLE_SESSIONS, Readiness, APP_CONFIG, ShutdownFlushes, LOGGER],
        },
        {
          provide: DEREGISTRATION_WATCHER,
          useFactory: watchDeregistration,
          inject: [APP_CONFIG, GracefulDrain, LOGGER, HealthCheckTracker],
        },
        DrainLifecycle,
      ],
      exports: [GracefulDrain],
    };
  }
}
