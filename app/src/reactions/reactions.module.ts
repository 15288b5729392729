import { type DynamicModule, Module } from '@nestjs/common';
import { ReactionsGateway } from './reactions.gateway.js';

/** Message reactions, the example gateway. `realtime` brings BACKPLANE and the guards' authorizer. */
@Module({})
export class ReactionsModule {
  static register(realtime: DynamicModule): DynamicModule {
    return { module: ReactionsModule, imports: [realtime], providers: [ReactionsGateway] };
  }
}
