import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JwtService } from '@nestjs/jwt';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../../app/src/config/app-config.js';
import { loadConfig } from '../../app/src/config/load-config.js';
import { openDatabase } from '../../app/src/database/open-database.js';
import { Transactions } from '../../app/src/database/transactions.js';
import { RevocationLog } from '../../app/src/revocations/revocation-log.js';
import { AccessTokenDenyList } from '../../app/src/identity/access-token-deny-list.js';
import { AccessTokens } from '../../app/src/identity/access-tokens.js';
import { AuthRedis } from '../../app/src/identity/auth-redis.js';
import { AccountsService } from '../../app/src/identity/accounts.service.js';
import { AuthService } from '../../app/src/identity/auth.service.js';
import { IdentityEvents } from '../../app/src/identity/identity-events.js';
import { resolveJwtKeys, type JwtKeys } from '../../app/src/identity/jwt-keys.js';
import { JwtAuthenticator } from '../../app/src/identity/jwt-authenticator.js';
import { PasswordHasher } from '../../app/src/identity/password-hasher.js';
import { RefreshTokensRepository } from '../../app/src/identity/refresh-tokens.repository.js';
import { UsersRepository } from '../../app/src/identity/users.repository.js';
import { APP_TABLES } from '../../app/src/app-tables.js';

export const TEST_SECRET = 'test-secret-test-secret-test-secret-0123456789';

/** The identity services wired by hand on a throw-away SQLite file, with a real JwtService. */
export interface IdentityFixture {
  readonly config: AppConfig;
  readonly keys: JwtKeys;
  readonly jwt: JwtService;
  readonly dataSource: DataSource;
  readonly users: UsersRepository;
  readonly refreshTokens: RefreshTokensRepository;
  readonly accessTokens: AccessTokens;
  readonly accounts: AccountsService;
  readonly auth: AuthService;
  readonly events: IdentityEvents;
  readonly revocations: RevocationLog;
  readonly authenticator: JwtAuthenticator;
  close(): Promise<void>;
}

export async function createIdentityFixture(env: Record<string, string> = {}): Promise<IdentityFixture> {
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-identity-'));
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, JWT_SECRET: TEST_SECRET, ...env });
  const dataSource = await openDatabase(config, APP_TABLES);
  const transactions = new Transactions(dataSource);
  const keys = resolveJwtKeys(config);
  const jwt = new JwtService();
  const users = new UsersRepository(dataSource, transactions);
  const refreshTokens = new RefreshTokensRepository(dataSource, transactions);
  const accessTokens = new AccessTokens(jwt, config, keys);
  const events = new IdentityEvents();
  const revocations = new RevocationLog(dataSource, transactions);
  // The cheapest scrypt the hasher accepts: these tests are about tokens, not hashing cost.
  const hasher = new PasswordHasher({ log2N: 10, r: 8, p: 1 });
  // No Redis here (the embedded default): the deny-list is off.
  const denyList = new AccessTokenDenyList(config, await AuthRedis.open(config));
  return {
    config,
    keys,
    jwt,
    dataSource,
    users,
    refreshTokens,
    accessTokens,
    events,
    revocations,
    accounts: new AccountsService(users, hasher, events, revocations),
    auth: new AuthService(config, users, refreshTokens, hasher, accessTokens, events, revocations, denyList),
    authenticator: new JwtAuthenticator(accessTokens, users, denyList),
    close: async () => {
      await dataSource.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
