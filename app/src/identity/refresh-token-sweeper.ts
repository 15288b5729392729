import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { RefreshTokensRepository } from './refresh-tokens.repository.js';

const SWEEP_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Deletes expired refresh tokens once an hour; rotation adds a row per refresh, so
 * without this the table only grows. Every instance sweeps; the delete is idempotent.
 */
@Injectable()
export class RefreshTokenSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RefreshTokenSweeper.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(@Inject(RefreshTokensRepository) private readonly tokens: RefreshTokensRepository) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS);
    // Never the reason the process stays alive.
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async sweep(): Promise<number> {
    try {
      const deleted = await this.tokens.deleteExpired(new Date());
      if (deleted > 0) this.logger.log(`deleted ${deleted} expired refresh token(s)`);
      return deleted;
    } catch (error) {
      this.logger.error(`sweeping expired refresh tokens failed: ${(error as Error).message}`);
      return 0;
    }
  }
}
