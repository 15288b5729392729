import type { Principal } from './principal.js';

/**
 * Decides whether a principal may SUBSCRIBE to, or SEND to, a room destination. The gateway
 * guards (RoomMemberGuard) call it for the destinations they declare; undeclared ones never
 * get here. Rejects with AppError('AUTH_FORBIDDEN', …) to refuse.
 */
export interface DestinationAuthorizer {
  authorizeSubscribe(principal: Principal, destination: string): Promise<void>;
  authorizeSend(principal: Principal, destination: string): Promise<void>;
}

/** Nest injection token for the DestinationAuthorizer. */
export const DESTINATION_AUTHORIZER = Symbol('DestinationAuthorizer');

/**
 * The DESTINATION_AUTHORIZER the realtime layer was registered with, as RealtimeModule
 * re-exports it to the gateways' guards.
 */
export const REALTIME_AUTHORIZER = Symbol('RealtimeAuthorizer');
