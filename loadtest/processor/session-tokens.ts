/**
 * A virtual user's credentials as a real client holds them: it logs in over REST, and
 * before the access token expires it exchanges its refresh token (single use, rotating)
 * and hands the new access token to its live sessions (SEND /app/session.renew).
 */
import { requestJson } from './rest.js';

interface TokenPair {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** Access token lifetime, seconds. */
  readonly expiresIn: number;
}

/** Refresh when this share of the access token's lifetime has passed. */
const REFRESH_AT = 0.8;

export class SessionTokens {
  private pair: TokenPair | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly renewers = new Set<(token: string) => void>();

  /**
   * @param onRefreshed called after each successful refresh (for a metric)
   * @param onFailure called when a scheduled refresh fails; the sessions will then expire
   */
  constructor(
    private readonly httpBase: string,
    private readonly onRefreshed: () => void,
    private readonly onFailure: (error: unknown) => void,
  ) {}

  async login(username: string, password: string): Promise<void> {
    this.pair = await requestJson<TokenPair>('POST', `${this.httpBase}/auth/login`, { body: { username, password } });
    this.schedule();
  }

  get accessToken(): string {
    if (!this.pair) throw new Error('not logged in');
    return this.pair.accessToken;
  }

  /** Registers a live session to receive each new access token; returns its removal. */
  onRenew(renew: (token: string) => void): () => void {
    this.renewers.add(renew);
    return () => this.renewers.delete(renew);
  }

  async refresh(): Promise<void> {
    if (!this.pair) throw new Error('not logged in');
    this.pair = await requestJson<TokenPair>('POST', `${this.httpBase}/auth/refresh`, {
      body: { refreshToken: this.pair.refreshToken },
    });
    this.onRefreshed();
    for (const renew of this.renewers) renew(this.pair.accessToken);
    this.schedule();
  }

  /** Stops refreshing (the virtual user is done). */
  stop(): void {
    clearTimeout(this.timer);
    this.renewers.clear();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    if (!this.pair) return;
    const delayMs = Math.max(1_000, this.pair.expiresIn * 1_000 * REFRESH_AT);
    this.timer = setTimeout(() => this.refresh().catch(this.onFailure), delayMs);
    // A pending refresh must not keep a finished worker alive.
    this.timer.unref();
  }
}
