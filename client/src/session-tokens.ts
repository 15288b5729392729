import type { AccessTokenSource, RestApi, TokenPair } from './rest-api.js';

/**
 * The user's token pair. Refreshing is single-flight: the refresh token is single use (re-using
 * a spent one revokes the whole login), so two callers that need a new token at once must share
 * one POST /auth/refresh.
 */
export class SessionTokens implements AccessTokenSource {
  private pair: TokenPair;
  private expiresAt: number;
  private issuedAt: number;
  private refreshing: Promise<TokenPair> | undefined;

  constructor(
    private readonly rest: RestApi,
    pair: TokenPair,
    /** Renew when this fraction of the access token's lifetime has passed. */
    private readonly renewAtFraction: number,
    private readonly now: () => number = Date.now,
    private readonly onChange: (pair: TokenPair) => void = () => {},
  ) {
    this.pair = pair;
    this.issuedAt = now();
    this.expiresAt = this.issuedAt + pair.expiresIn * 1_000;
  }

  get current(): TokenPair {
    return this.pair;
  }

  /** When the current access token should be renewed (epoch ms), well before it expires. */
  get renewDueAt(): number {
    return this.issuedAt + (this.expiresAt - this.issuedAt) * this.renewAtFraction;
  }

  get accessExpiresAt(): number {
    return this.expiresAt;
  }

  /** The access token, refreshed first if it is due for renewal. */
  async accessToken(): Promise<string> {
    if (this.now() >= this.renewDueAt) await this.refresh();
    return this.pair.accessToken;
  }

  async refreshAfterExpiry(): Promise<void> {
    await this.refresh();
  }

  refresh(): Promise<TokenPair> {
    this.refreshing ??= this.rest
      .refresh(this.pair.refreshToken)
      .then((pair) => {
        this.pair = pair;
        this.issuedAt = this.now();
        this.expiresAt = this.issuedAt + pair.expiresIn * 1_000;
        this.onChange(pair);
        return pair;
      })
      .finally(() => {
        this.refreshing = undefined;
      });
    return this.refreshing;
  }
}
