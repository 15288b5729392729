import { Controller, Get, Global, Module } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/app-config.token.js';
import { createLogger, LOGGER } from './logger.js';

@Controller()
class HealthController {
  /** Liveness only: answers while the process can serve HTTP; never touches a dependency. */
  @Get('healthz')
  health(): { status: string } {
    return { status: 'ok' };
  }
}

@Global()
@Module({
  controllers: [HealthController],
  providers: [{ provide: LOGGER, useFactory: (config: AppConfig) => createLogger(config), inject: [APP_CONFIG] }],
  exports: [LOGGER],
})
export class OpsModule {}
