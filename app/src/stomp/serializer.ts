import { CONTENT_LENGTH } from './content-length.js';
import type { StompCommand, StompVersion } from './frame.js';
import { escapeHeaderText, headersAreEscaped } from './header-escaping.js';

/**
 * Escape a header name or value for a frame with this command in this version
 * (CONNECT/CONNECTED: never; 1.0: never; 1.1: \n : \\ ; 1.2: also \r).
 *
 * Where nothing is escaped, CR and LF cannot be represented (the grammar forbids them) and are
 * replaced by U+FFFD. Passing them through would let a value end its header line and inject
 * headers or whole frames, e.g. a 1.2 client's SEND header relayed in a MESSAGE to a 1.0
 * subscriber; throwing instead would make one such header break delivery for everyone.
 */
export function escapeHeaderValue(value: string, version: StompVersion, command: StompCommand): string {
  if (headersAreEscaped(version, command)) return escapeHeaderText(value, version);
  return value.replace(LINE_BREAKS, UNREPRESENTABLE);
}

const LINE_BREAKS = /[\r\n]/g;
const LINE_BREAKS_AND_COLONS = /[\r\n:]/g;
const UNREPRESENTABLE = '\uFFFD';

function escapeHeaderName(name: string, version: StompVersion, command: StompCommand): string {
  if (headersAreEscaped(version, command)) return escapeHeaderText(name, version);
  // Unescaped, a colon in a name would also move the name/value split. (In a value it is
  // harmless: parsers split at the first colon.)
  return name.replace(LINE_BREAKS_AND_COLONS, UNREPRESENTABLE);
}

/**
 * Encode a complete frame: command, headers in order, blank line, body, NUL. Adds
 * `content-length` when the body is non-empty and headers do not already carry one (it is
 * what lets a body contain NUL bytes). Characters a header cannot carry unescaped are replaced
 * (see escapeHeaderValue).
 */
export function encodeFrame(
  command: StompCommand,
  headers: Iterable<readonly [string, string]>,
  body: Buffer | string = EMPTY_BODY,
  version: StompVersion = '1.2',
): Buffer {
  const bodyBytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  let head = command + '\n';
  let hasContentLength = false;
  for (const [name, value] of headers) {
    if (name === CONTENT_LENGTH) hasContentLength = true;
    head += escapeHeaderName(name, version, command) + ':' + escapeHeaderValue(value, version, command) + '\n';
  }
  if (bodyBytes.length > 0 && !hasContentLength) head += `${CONTENT_LENGTH}:${bodyBytes.length}\n`;
  head += '\n';

  // One allocation for the whole frame rather than concatenating pieces.
  const headLength = Buffer.byteLength(head, 'utf8');
  const frame = Buffer.allocUnsafe(headLength + bodyBytes.length + 1);
  frame.write(head, 0, 'utf8');
  bodyBytes.copy(frame, headLength);
  frame[frame.length - 1] = 0;
  return frame;
}

const EMPTY_BODY = Buffer.alloc(0);

/** The heart-beat "frame": a single EOL. */
export const HEARTBEAT: Buffer = Buffer.from('\n', 'latin1');
