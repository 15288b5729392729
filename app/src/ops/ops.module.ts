import type { Logger } from 'pino';
import { Controller, Get, Global, Header, Headers, Inject, Module, Res } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/app-config.token.js';
import { HealthCheckTracker } from './health-check-tracker.js';
import { createLogger, LOGGER } from './logger.js';
import { Readiness } from './readiness.js';
import { ServiceMetrics } from './service-metrics.js';
import { ShutdownFlushes } from './shutdown-flushes.js';

/** The slice of Express's response these handlers use (express types are not a dependency). */
interface HttpResponse {
  status(code: number): HttpResponse;
  json(body: unknown): void;
  type(contentType: string): HttpResponse;
  send(body: string): void;
}

@Controller()
class OpsController {
  constructor(
    @Inject(Readiness) private readonly readiness: Readiness,
    @Inject(ServiceMetrics) private readonly metrics: ServiceMetrics,
    @Inject(HealthCheckTracker) private readonly healthChecks: HealthCheckTracker,
  ) {}

  /** Liveness only: answers while the process can serve HTTP; never touches a dependency. */
  @Get('healthz')
  health(@Headers('user-agent') userAgent: string | undefined): { status: string } {
    this.healthChecks.seen(userAgent);
    return { status: 'ok' };
  }

  /** Readiness: dependencies reachable and not draining. 503 takes the task out of the ALB. */
  @Get('readyz')
  async ready(@Res() response: HttpResponse): Promise<void> {
    const report = await this.readiness.report();
    response.status(report.ready ? 200 : 503).json({ status: report.ready ? 'ready' : 'not ready', ...report });
  }

  @Get('metrics')
  @Header('Cache-Control', 'no-store')
  async metricsText(@Res() response: HttpResponse): Promise<void> {
    response.type(this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }
}

/** Health, readiness, metrics and logging: what operators and load balancers look at. */
@Global()
@Module({
  controllers: [OpsController],
  providers: [
    { provide: LOGGER, useFactory: (config: AppConfig) => createLogger(config), inject: [APP_CONFIG] },
    {
      provide: Readiness,
      useFactory: (log: Logger) =>
        new Readiness((check, error) => log.warn({ check, err: error }, 'readiness check failed')),
      inject: [LOGGER],
    },
    { provide: ServiceMetrics, useFactory: () => new ServiceMetrics() },
    { provide: ShutdownFlushes, useFactory: () => new ShutdownFlushes() },
    { provide: HealthCheckTracker, useFactory: () => new HealthCheckTracker() },
  ],
  exports: [LOGGER, Readiness, ServiceMetrics, ShutdownFlushes, HealthCheckTracker],
})
export class OpsModule {}
