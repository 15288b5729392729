import type { Principal } from './principal.js';

/** What a client presented when it connected; any field may be missing. */
export interface ConnectCredentials {
  /** STOMP CONNECT `login` header. */
  readonly login?: string;
  /** STOMP CONNECT `passcode` header (may carry a JWT). */
  readonly passcode?: string;
  /** STOMP CONNECT `Authorization` header, e.g. `Bearer <jwt>`. */
  readonly authorization?: string;
  /** The HTTP upgrade request's `Authorization` header. */
  readonly upgradeAuthorization?: string;
}

/**
 * Decides who a connecting client is. Rejects with an AppError whose code is one of
 * AUTH_REQUIRED, AUTH_INVALID or AUTH_EXPIRED; the session layer turns it into an ERROR frame.
 */
export interface Authenticator {
  authenticate(credentials: ConnectCredentials): Promise<Principal>;
}

/** Nest injection token for the Authenticator. */
export const AUTHENTICATOR = Symbol('Authenticator');
