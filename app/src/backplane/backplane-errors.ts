import { AppError } from '../errors/app-error.js';
import { reconnectHint } from '../errors/reconnect-hint.js';

/**
 * Redis replies that mean "this node cannot serve writes now", not "the command is wrong": a
 * failover in progress, a replica, a node still loading, a full node under `noeviction`.
 */
const UNAVAILABLE_REPLIES = /^(READONLY|LOADING|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|NOREPLICAS|BUSY|OOM)\b/;

/**
 * Turns a failure of a Redis call into what the client should see: connection problems and
 * timeouts (ioredis errors that are not replies) and the replies above become
 * BACKPLANE_UNAVAILABLE with a reconnect hint; a reply error of any other kind stays as it is
 * (a bug, reported as INTERNAL).
 */
export function asBackplaneFailure(error: unknown, what: string): unknown {
  if (error instanceof AppError) return error;
  if (!(error instanceof Error)) return error;
  const isReply = error.name === 'ReplyError';
  if (isReply && !UNAVAILABLE_REPLIES.test(error.message)) return error;
  return new AppError(
    'BACKPLANE_UNAVAILABLE',
    `${what}: the message backplane is unavailable; reconnect shortly`,
    reconnectHint(),
  );
}

/** Runs a Redis round trip so that its connection failures reach the caller as BACKPLANE_UNAVAILABLE. */
export async function redisCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw asBackplaneFailure(error, what);
  }
}
