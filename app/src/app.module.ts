import { type DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { MessagesModule } from './messages/messages.module.js';
import { OpsModule } from './ops/ops.module.js';
import { DevAuthModule } from './realtime/auth/dev-auth.module.js';
import { RealtimeModule } from './realtime/realtime.module.js';

/** The whole service, assembled from a validated config. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    const realtime = RealtimeModule.register(DevAuthModule);
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config), OpsModule, realtime, MessagesModule.register(realtime)],
    };
  }
}
