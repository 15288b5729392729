import type { StompFrame, StompHeaders } from '../stomp/frame.js';
import type { Principal } from './auth/principal.js';

/**
 * One SEND or SUBSCRIBE as a declared destination sees it, like Spring's @MessageMapping
 * arguments. The destination was parsed once, when the session resolved its route.
 */
export interface AppSendContext {
  readonly command: 'SEND' | 'SUBSCRIBE';
  readonly principal: Principal;
  readonly sessionId: string;
  /** As the client wrote it. */
  readonly destination: string;
  /** Values of the `{name}` placeholders of the matched pattern. */
  readonly params: Readonly<Record<string, string>>;
  readonly headers: StompHeaders;
  /** Empty for SUBSCRIBE. */
  readonly body: Buffer;
}

/** The context of one frame, its destination already resolved by the route table. */
export function frameContext(
  command: AppSendContext['command'],
  principal: Principal,
  sessionId: string,
  destination: string,
  params: Readonly<Record<string, string>>,
  frame: StompFrame,
): AppSendContext {
  return { command, principal, sessionId, destination, params, headers: frame.headers, body: frame.body };
}

/**
 * What a handler asks the session to apply once it has finished (the handler never reaches
 * into the session itself): headers for the RECEIPT, and a renewed principal.
 */
export interface SendReply {
  readonly receiptHeaders?: ReadonlyArray<readonly [string, string]>;
  /** Replaces the session's principal, e.g. after an in-band token renewal. */
  readonly principal?: Principal;
}

/** Carries out a SEND to an /app destination; resolving means done (the RECEIPT follows). */
export type AppHandler = (context: AppSendContext) => Promise<SendReply | void>;

/** Lets a SUBSCRIBE (or a SEND to a client topic) go ahead, or rejects, e.g. with AUTH_FORBIDDEN. */
export type RouteAuthorizer = (context: AppSendContext) => Promise<void>;
