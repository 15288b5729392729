import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from './app-config.js';
import { APP_CONFIG } from './app-config.token.js';

/**
 * Makes the AppConfig that main.ts (or a test) loaded injectable everywhere as APP_CONFIG.
 * The value is passed in rather than loaded here so tests can boot with any config and
 * nothing under a feature folder ever touches process.env.
 */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}
