import type { Principal } from './principal.js';

/**
 * A destination as a declared route matched it, with the values of the pattern's `{name}`
 * placeholders (an AppSendContext is one): the authorizer reads those instead of parsing the
 * destination again.
 */
export interface MatchedDestination {
  readonly destination: string;
  readonly params: Readonly<Record<string, string>>;
}

/**
 * Decides whether a principal may SUBSCRIBE to, or SEND to, a room destination. The gateway
 * guards (RoomMemberGuard) call it with the route their frame matched; a bare destination
 * string is parsed in full. Rejects with AppError('AUTH_FORBIDDEN', …) to refuse.
 */
export interface DestinationAuthorizer {
  authorizeSubscribe(principal: Principal, destination: string | MatchedDestination): Promise<void>;
  authorizeSend(principal: Principal, destination: string | MatchedDestination): Promise<void>;
}

/** Nest injection token for the DestinationAuthorizer. */
export const DESTINATION_AUTHORIZER = Symbol('DestinationAuthorizer');

/**
 * The DESTINATION_AUTHORIZER the realtime layer was registered with, as RealtimeModule
 * re-exports it to the gateways' guards.
 */
export const REALTIME_AUTHORIZER = Symbol('RealtimeAuthorizer');
