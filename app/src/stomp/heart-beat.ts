import { StompError } from './stomp-error.js';

/** Two comma-separated non-negative integers; surrounding blanks are tolerated. */
const HEART_BEAT = /^\s*(\d+)\s*,\s*(\d+)\s*$/;

/**
 * Parse a `heart-beat: cx,cy` header; missing → [0,0]; malformed (not two non-negative
 * integers) → throws StompError('STOMP_MALFORMED_HEADER'). Numbers too large to be exact
 * integers count as malformed.
 */
export function parseHeartBeat(value: string | undefined): readonly [number, number] {
  if (value === undefined) return [0, 0];
  const match = HEART_BEAT.exec(value);
  const first = Number(match?.[1]);
  const second = Number(match?.[2]);
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second)) {
    throw new StompError('STOMP_MALFORMED_HEADER', 'The heart-beat header must be two non-negative integers: cx,cy');
  }
  return [first, second];
}

/**
 * Given the client's [cx, cy] and the server's [sx, sy], return {serverSendsEveryMs,
 * clientSendsEveryMs} per STOMP 1.2 (0 = none): server sends every max(sx, cy) if both
 * non-zero; expects client every max(cx, sy) if both non-zero.
 */
export function negotiateHeartBeat(
  client: readonly [number, number],
  server: readonly [number, number],
): { serverSendsEveryMs: number; clientSendsEveryMs: number } {
  const [clientCanSend, clientWantsEvery] = client;
  const [serverCanSend, serverWantsEvery] = server;
  return {
    serverSendsEveryMs: agreedInterval(serverCanSend, clientWantsEvery),
    clientSendsEveryMs: agreedInterval(clientCanSend, serverWantsEvery),
  };
}

/** 0 on either side means "cannot send" or "does not want", which disables that direction. */
function agreedInterval(senderCanSendEvery: number, receiverWantsEvery: number): number {
  return senderCanSendEvery === 0 || receiverWantsEvery === 0 ? 0 : Math.max(senderCanSendEvery, receiverWantsEvery);
}
