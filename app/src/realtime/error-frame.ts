import { AppError } from '../errors/app-error.js';
import { CODEC_ERROR_CODES, ERROR_CODES, type ErrorCode } from '../errors/error-codes.js';
import { StompError } from '../stomp/stomp-error.js';

/** A failure as the client will see it: an ERROR frame's headers and body, then a close code. */
export interface ClientFailure {
  readonly code: string;
  readonly message: string;
  readonly details: Readonly<Record<string, string | number>>;
  readonly closeCode: number;
}

/**
 * The one place where errors become what a STOMP client sees. Anything that is not one of our
 * own errors is reported as INTERNAL without its message, so no internals leak.
 */
export function toClientFailure(error: unknown): ClientFailure {
  if (error instanceof AppError) {
    return {
      code: error.code,
      message: error.message,
      details: error.details,
      closeCode: ERROR_CODES[error.code].close,
    };
  }
  if (error instanceof StompError) {
    return { code: error.code, message: error.message, details: {}, closeCode: CODEC_ERROR_CODES[error.code].close };
  }
  const internal: ErrorCode = 'INTERNAL';
  return { code: internal, message: 'internal server error', details: {}, closeCode: ERROR_CODES[internal].close };
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
