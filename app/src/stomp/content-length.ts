import { StompError } from './stomp-error.js';

/** The header that delimits a body by size instead of by the first NUL. */
export const CONTENT_LENGTH = 'content-length';

const DECIMAL_DIGITS = /^[0-9]+$/;

/**
 * The body size a `content-length` header announces. Only plain decimal digits are accepted:
 * no sign, no fraction, no whitespace. Absurdly long numbers come out as huge (or Infinity),
 * which the caller's size limit then rejects.
 */
export function parseContentLength(value: string): number {
  if (!DECIMAL_DIGITS.test(value)) {
    throw new StompError('STOMP_BAD_CONTENT_LENGTH', 'The content-length header must be a non-negative integer');
  }
  return Number(value);
}
