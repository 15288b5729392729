import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/app-config.token.js';
import { BACKPLANE, type Backplane } from './backplane.port.js';
import { LocalBackplane } from './local-backplane.js';

function createBackplane(config: AppConfig): Backplane {
  switch (config.backplane.kind) {
    case 'local':
      return new LocalBackplane();
    case 'redis':
      // The Redis backplane is the scale-out issue's work; refuse clearly rather than run alone.
      throw new Error('BACKPLANE=redis is not available in this build yet; use BACKPLANE=local');
  }
}

class BackplaneCloser implements OnApplicationShutdown {
  constructor(@Inject(BACKPLANE) private readonly backplane: Backplane) {}

  async onApplicationShutdown(): Promise<void> {
    await this.backplane.close();
  }
}

@Module({
  providers: [{ provide: BACKPLANE, useFactory: createBackplane, inject: [APP_CONFIG] }, BackplaneCloser],
  exports: [BACKPLANE],
})
export class BackplaneModule {}
