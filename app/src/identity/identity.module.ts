import { Module } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/app-config.token.js';
import { RevocationsModule } from '../revocations/revocations.module.js';
import { DatabaseModule } from '../database/database.module.js';
import { AUTHENTICATOR } from '../realtime/auth/authenticator.port.js';
import { AccessTokenDenyList } from './access-token-deny-list.js';
import { AccessTokens } from './access-tokens.js';
import { AccountsService } from './accounts.service.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { AuthRedis } from './auth-redis.js';
import { AuthThrottle } from './auth-throttle.js';
import { HttpAuthGuard } from './http-auth.guard.js';
import { IdentityEvents } from './identity-events.js';
import { JWT_KEYS, resolveJwtKeys } from './jwt-keys.js';
import { JwtAuthenticator } from './jwt-authenticator.js';
import { MeController } from './me.controller.js';
import { PasswordHasher } from './password-hasher.js';
import { RefreshTokenSweeper } from './refresh-token-sweeper.js';
import { RefreshTokensRepository } from './refresh-tokens.repository.js';
import { UsersRepository } from './users.repository.js';

/**
 * Users, passwords, access and refresh tokens, and the REST endpoints for them.
 * Exports AUTHENTICATOR (the JwtAuthenticator, which also offers renew()), IdentityEvents
 * and HttpAuthGuard. Needs APP_CONFIG from the global ConfigModule.
 */
@Module({
  imports: [DatabaseModule, RevocationsModule],
  controllers: [AuthController, MeController],
  providers: [
    { provide: JWT_KEYS, inject: [APP_CONFIG], useFactory: (config: AppConfig) => resolveJwtKeys(config) },
    // Every option is passed per call by AccessTokens, so this instance carries no defaults
    // that could silently widen what it accepts.
    { provide: JwtService, useFactory: () => new JwtService() },
    {
      provide: PasswordHasher,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new PasswordHasher(undefined, config.auth.hashing),
    },
    UsersRepository,
    RefreshTokensRepository,
    AccessTokens,
    IdentityEvents,
    AccountsService,
    AuthService,
    { provide: AuthRedis, inject: [APP_CONFIG], useFactory: (config: AppConfig) => AuthRedis.open(config) },
    AccessTokenDenyList,
    AuthThrottle,
    JwtAuthenticator,
    { provide: AUTHENTICATOR, useExisting: JwtAuthenticator },
    HttpAuthGuard,
    RefreshTokenSweeper,
  ],
  exports: [AUTHENTICATOR, JwtAuthenticator, IdentityEvents, HttpAuthGuard, AccountsService],
})
export class IdentityModule {}
