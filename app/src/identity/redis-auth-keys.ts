/**
 * Every Redis key the identity doors use (prefix REDIS_KEY_PREFIX). Each operation touches one
 * key, so they carry no hash tag and spread over a cluster's slots. Every key has a TTL:
 *
 *   <prefix>auth:throttle:<counter>:<key>   HASH failures, windowStart, lockedUntil (epoch ms, Redis clock);
 *                                           expires when the window ends and no lockout runs
 *   <prefix>auth:denied:<tokenId>           STRING "1": a logged-out access token's jti; expires with the token
 *
 * `<counter>` is accounts, addresses or registrations; `<key>` a lower-cased username or a client address.
 */
export class RedisAuthKeys {
  constructor(private readonly prefix: string) {}

  throttle(counter: string, key: string): string {
    return `${this.prefix}auth:throttle:${counter}:${key}`;
  }

  deniedToken(tokenId: string): string {
    return `${this.prefix}auth:denied:${tokenId}`;
  }
}
