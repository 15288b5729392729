import type { Principal } from './principal.js';

/**
 * Decides whether a principal may SUBSCRIBE to, or SEND to, a destination. Called on every
 * SUBSCRIBE and SEND. Rejects with AppError('AUTH_FORBIDDEN', …) to refuse.
 */
export interface DestinationAuthorizer {
  authorizeSubscribe(principal: Principal, destination: string): Promise<void>;
  authorizeSend(principal: Principal, destination: string): Promise<void>;
}

/** Nest injection token for the DestinationAuthorizer. */
export const DESTINATION_AUTHORIZER = Symbol('DestinationAuthorizer');
