import type { Principal } from '../realtime/auth/principal.js';

/** The parts of an HTTP request the auth guard reads and writes. */
export interface AuthenticatedRequest {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Set by HttpAuthGuard once the bearer token checked out. */
  principal?: Principal;
}
