import { AppError } from '../errors/app-error.js';
import type { ErrorCode } from '../errors/error-codes.js';
import { StompError } from '../stomp/stomp-error.js';

/** A failure as the client will see it: an ERROR frame's headers and body, then a close code. */
export interface ClientFailure {
  readonly code: string;
  readonly message: string;
  readonly details: Readonly<Record<string, string | number>>;
  readonly closeCode: number;
}

// RFC 6455 close codes: 1002 protocol error, 1008 policy violation, 1009 too big,
// 1011 server error, 1012 service restart, 1013 try again later (a dependency is unavailable:
// the client should reconnect after a pause, see RECONNECT_AFTER_MS).
const CLOSE_CODE_BY_PREFIX: ReadonlyArray<readonly [string, number]> = [
  ['STOMP_FRAME_TOO_LARGE', 1009],
  ['STOMP_BODY_TOO_LARGE', 1009],
  ['STOMP_', 1002],
  ['PROTOCOL_', 1002],
  ['DESTINATION_', 1008],
  ['AUTH_', 1008],
  ['LIMIT_', 1008],
  ['SERVER_DRAINING', 1012],
  ['BACKPLANE_', 1013],
  ['MESSAGE_STORE_UNAVAILABLE', 1013],
  ['SEND_TIMEOUT', 1013],
  ['INTERNAL', 1011],
];

/**
 * The one place where errors become what a STOMP client sees. Anything that is not one of our
 * own errors is reported as INTERNAL without its message, so no internals leak.
 */
export function toClientFailure(error: unknown): ClientFailure {
  if (error instanceof AppError) return failure(error.code, error.message, error.details);
  if (error instanceof StompError) return failure(error.code, error.message, {});
  return failure('INTERNAL' satisfies ErrorCode, 'internal server error', {});
}

function failure(code: string, message: string, details: Readonly<Record<string, string | number>>): ClientFailure {
  const closeCode = CLOSE_CODE_BY_PREFIX.find(([prefix]) => code.startsWith(prefix))?.[1] ?? 1008;
  return { code, message, details, closeCode };
}

/** ERROR frame headers: `message` is short (one line); the body repeats it for clients that show bodies. */
export function errorHeaders(failure: ClientFailure, receiptId: string | undefined): Array<[string, string]> {
  const headers: Array<[string, string]> = [
    ['message', failure.message.split('\n', 1)[0]!],
    ['code', failure.code],
    ['content-type', 'text/plain;charset=utf-8'],
  ];
  if (receiptId !== undefined) headers.push(['receipt-id', receiptId]);
  for (const [name, value] of Object.entries(failure.details)) headers.push([name, String(value)]);
  return headers;
}
