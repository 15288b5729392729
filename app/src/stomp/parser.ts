/**
 * Incremental STOMP frame parser: a byte-level state machine fed with chunks of any size.
 * Spec: https://stomp.github.io/stomp-specification-1.2.html (1.1 and 1.0 differ only in
 * header escaping, selected by `version`).
 *
 * How it stays fast and bounded:
 * - Line ends and NULs are found with Buffer.indexOf (native). Every byte fed is examined a
 *   bounded number of times, so parsing is O(bytes) however the input is chunked.
 * - A line or body lying wholly inside one chunk is read straight from that chunk. Only the
 *   parts that span chunks are copied, into accumulators whose size the limits bound, so the
 *   parser never holds much more than `maxFrameBytes`.
 * - Limits are enforced at the first byte that breaks one, in a fixed order, so the same input
 *   fails with the same code however it is split.
 *
 * Body ownership: a body that lies wholly inside one pushed chunk is a subarray of that chunk
 * (no copy); a body that spans chunks is a fresh Buffer. The parser never writes into either
 * afterwards, but the caller must not modify a chunk after pushing it. `ws` hands over a fresh
 * Buffer per message, so passing its messages straight in is safe.
 */
import { ByteAccumulator } from './byte-accumulator.js';
import { CONTENT_LENGTH, parseContentLength } from './content-length.js';
import {
  CLIENT_COMMANDS,
  SERVER_COMMANDS,
  type StompCommand,
  type StompFrame,
  type StompHeaders,
  type StompVersion,
} from './frame.js';
import { headersAreEscaped, unescapeHeaderText } from './header-escaping.js';
import { DEFAULT_STOMP_LIMITS, type StompLimits } from './limits.js';
import { StompError } from './stomp-error.js';

export interface ParserHandlers {
  onFrame(frame: StompFrame): void;
  onHeartbeat(): void;
}

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const NUL = 0x00;
const EMPTY_BODY = Buffer.alloc(0);
/** Marks a frame whose body ends at the first NUL rather than after `content-length` bytes. */
const UNTIL_NUL = -1;

const COMMANDS: ReadonlySet<string> = new Set<string>([...CLIENT_COMMANDS, ...SERVER_COMMANDS]);
const isStompCommand = (text: string): text is StompCommand => COMMANDS.has(text);

/** What the parser expects next. */
type ParserState =
  /** A command line, or heart-beat EOLs before it. */
  | 'command'
  /** Header lines, up to the blank line. */
  | 'headers'
  /** Body bytes: `content-length` of them, or up to the first NUL. */
  | 'body'
  /** The NUL that must follow a `content-length` body. */
  | 'nul';

export class StompParser {
  /** Escaping rules in force; the session sets it after version negotiation. Default '1.2'. */
  version: StompVersion = '1.2';

  private readonly limits: StompLimits;
  private state: ParserState = 'command';
  private failed = false;
  private readonly pendingLine = new ByteAccumulator();
  private readonly pendingBody = new ByteAccumulator();

  // The frame being parsed; meaningful only once its command line has been read.
  /** Bytes of the frame consumed so far, from the first byte of the command line. */
  private frameBytes = 0;
  private command: StompCommand = 'SEND';
  private headers: StompHeaders = new Map();
  private headerLines = 0;
  private contentLength = UNTIL_NUL;
  private body: Buffer = EMPTY_BODY;
  /** Bytes of a `content-length` body copied so far, when it spans chunks. */
  private bodyFilled = 0;

  constructor(
    private readonly handlers: ParserHandlers,
    limits?: Partial<StompLimits>,
  ) {
    this.limits = resolveLimits(limits);
  }

  /** True while a frame has started (any byte of its command line) and not yet ended. */
  get midFrame(): boolean {
    return this.state !== 'command' || this.pendingLine.length > 0;
  }

  /**
   * Feed bytes (or a string, UTF-8). Emits zero or more frames/heart-beats synchronously.
   * Throws StompError on a violation; after that the parser is failed and every later push
   * throws StompError('STOMP_PARSER_FAILED'). An exception thrown by a handler propagates
   * unchanged and also fails the parser (the rest of that chunk is not parsed). Handlers must
   * not call push themselves.
   */
  push(chunk: Buffer | string): void {
    if (this.failed) {
      throw new StompError('STOMP_PARSER_FAILED', 'The connection already sent an invalid frame');
    }
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    try {
      let pos = 0;
      while (pos < bytes.length) pos = this.consume(bytes, pos);
    } catch (error) {
      this.failed = true;
      throw error;
    }
  }

  /** Consumes bytes from `pos` for the current state; returns where the next state starts. */
  private consume(bytes: Buffer, pos: number): number {
    switch (this.state) {
      case 'command':
      case 'headers':
        return this.readLine(bytes, pos);
      case 'body':
        return this.contentLength === UNTIL_NUL ? this.readBodyUntilNul(bytes, pos) : this.readSizedBody(bytes, pos);
      case 'nul':
        return this.readTerminator(bytes, pos);
    }
  }

  private readLine(bytes: Buffer, pos: number): number {
    const lf = bytes.indexOf(LF, pos);
    // Bytes before the LF, CR included: the limit check cannot wait to see whether a CR is
    // followed by LF without making the outcome depend on chunking.
    const lineLength = this.pendingLine.length + (lf === -1 ? bytes.length : lf) - pos;
    this.checkLineLimits(lineLength, lf !== -1);
    if (lf === -1) {
      this.pendingLine.append(bytes, pos, bytes.length);
      return bytes.length;
    }

    let line = bytes;
    let start = pos;
    let end = lf;
    if (this.pendingLine.length > 0) {
      this.pendingLine.append(bytes, pos, lf);
      line = this.pendingLine.view();
      start = 0;
      end = line.length;
      // The view stays readable after reset: nothing is appended before this line is handled.
      this.pendingLine.reset();
    }
    if (end > start && line[end - 1] === CR) end--;

    if (this.state === 'command') this.handleCommandLine(line, start, end, lineLength);
    else this.handleHeaderLine(line, start, end, lineLength);
    return lf + 1;
  }

  /**
   * Throws for the first byte of the line that breaks a limit. Offsets count from the line
   * start; a present LF sits at offset `lineLength`. Within a header line every byte is a
   * frame byte, and a frame byte other than the final NUL must leave room for that NUL. (The
   * command line's size is checked once complete: a line of only EOLs is a heart-beat, not a
   * frame, and its length limit already bounds it meanwhile.)
   */
  private checkLineLimits(lineLength: number, complete: boolean): void {
    const tooLongAt = lineLength > this.limits.maxHeaderLineBytes ? this.limits.maxHeaderLineBytes : Infinity;
    let frameFullAt = Infinity;
    if (this.state === 'headers') {
      const at = this.limits.maxFrameBytes - 1 - this.frameBytes;
      if (at <= (complete ? lineLength : lineLength - 1)) frameFullAt = at;
    }
    if (tooLongAt === Infinity && frameFullAt === Infinity) return;
    throw tooLongAt <= frameFullAt ? this.lineTooLong() : this.frameTooLarge();
  }

  private handleCommandLine(line: Buffer, start: number, end: number, lineLength: number): void {
    if (start === end) {
      this.handlers.onHeartbeat();
      return;
    }
    // latin1 is exact for the ASCII command names and cheaper than UTF-8 decoding.
    const command = line.toString('latin1', start, end);
    if (!isStompCommand(command)) throw new StompError('STOMP_BAD_COMMAND', 'Unknown STOMP command');
    if (lineLength >= this.limits.maxFrameBytes - 1) throw this.frameTooLarge();
    this.command = command;
    this.headers = new Map();
    this.headerLines = 0;
    this.frameBytes = lineLength + 1;
    this.state = 'headers';
  }

  private handleHeaderLine(line: Buffer, start: number, end: number, lineLength: number): void {
    this.frameBytes += lineLength + 1;
    if (start === end) {
      this.startBody();
      return;
    }
    if (++this.headerLines > this.limits.maxHeaders) {
      throw new StompError('STOMP_TOO_MANY_HEADERS', `A frame may carry at most ${this.limits.maxHeaders} headers`);
    }
    // Split at the first colon. Further raw colons belong to the value: the spec wants them
    // escaped, but rejecting them would only break sloppy clients for no safety gain.
    const colon = line.indexOf(COLON, start);
    if (colon === -1 || colon >= end) {
      throw new StompError('STOMP_MALFORMED_HEADER', 'A header line has no colon');
    }
    let name = line.toString('utf8', start, colon);
    let value = line.toString('utf8', colon + 1, end);
    if (headersAreEscaped(this.version, this.command)) {
      name = unescapeHeaderText(name, this.version);
      value = unescapeHeaderText(value, this.version);
    }
    if (!this.headers.has(name)) this.headers.set(name, value);
  }

  private startBody(): void {
    const declared = this.headers.get(CONTENT_LENGTH);
    if (declared === undefined) {
      this.contentLength = UNTIL_NUL;
      this.state = 'body';
      return;
    }
    // Checked up front so an announced oversized body is refused before any of it is buffered.
    const length = parseContentLength(declared);
    if (length > this.limits.maxBodyBytes) throw this.bodyTooLarge();
    if (this.frameBytes + length + 1 > this.limits.maxFrameBytes) throw this.frameTooLarge();
    this.contentLength = length;
    this.bodyFilled = 0;
    this.body = EMPTY_BODY;
    this.state = length === 0 ? 'nul' : 'body';
  }

  private readSizedBody(bytes: Buffer, pos: number): number {
    const missing = this.contentLength - this.bodyFilled;
    const take = Math.min(missing, bytes.length - pos);
    if (this.bodyFilled === 0 && take === missing) {
      this.body = bytes.subarray(pos, pos + take);
      this.state = 'nul';
      return pos + take;
    }
    // Spans chunks: the size is known and within limits, so allocate it once.
    if (this.bodyFilled === 0) this.body = Buffer.allocUnsafe(this.contentLength);
    bytes.copy(this.body, this.bodyFilled, pos, pos + take);
    this.bodyFilled += take;
    if (this.bodyFilled === this.contentLength) this.state = 'nul';
    return pos + take;
  }

  private readBodyUntilNul(bytes: Buffer, pos: number): number {
    const nul = bytes.indexOf(NUL, pos);
    const segmentEnd = nul === -1 ? bytes.length : nul;
    this.checkBodyLimits(segmentEnd - pos);
    if (nul === -1) {
      this.pendingBody.append(bytes, pos, segmentEnd);
      return bytes.length;
    }
    if (this.pendingBody.length === 0) {
      this.body = bytes.subarray(pos, nul);
    } else {
      this.pendingBody.append(bytes, pos, nul);
      this.body = this.pendingBody.copy(); // the accumulator is reused for the next frame
    }
    this.emitFrame();
    return nul + 1;
  }

  /** Throws for the first of the next `segmentLength` body bytes that breaks a limit. */
  private checkBodyLimits(segmentLength: number): void {
    const bodySoFar = this.pendingBody.length;
    const tooLargeAt = this.limits.maxBodyBytes - bodySoFar;
    const frameFullAt = this.limits.maxFrameBytes - 1 - (this.frameBytes + bodySoFar);
    if (tooLargeAt < segmentLength && tooLargeAt <= frameFullAt) throw this.bodyTooLarge();
    if (frameFullAt < segmentLength) throw this.frameTooLarge();
  }

  private readTerminator(bytes: Buffer, pos: number): number {
    if (bytes[pos] !== NUL) {
      throw new StompError('STOMP_MISSING_NUL', 'A frame body must be followed by a NUL byte');
    }
    this.emitFrame();
    return pos + 1;
  }

  private emitFrame(): void {
    const frame: StompFrame = { command: this.command, headers: this.headers, body: this.body };
    this.state = 'command';
    this.frameBytes = 0;
    this.body = EMPTY_BODY;
    this.pendingBody.reset();
    this.handlers.onFrame(frame);
  }

  private lineTooLong(): StompError {
    return new StompError(
      'STOMP_HEADER_TOO_LONG',
      `A command or header line may be at most ${this.limits.maxHeaderLineBytes} bytes`,
    );
  }

  private frameTooLarge(): StompError {
    return new StompError('STOMP_FRAME_TOO_LARGE', `A frame may be at most ${this.limits.maxFrameBytes} bytes`);
  }

  private bodyTooLarge(): StompError {
    return new StompError('STOMP_BODY_TOO_LARGE', `A frame body may be at most ${this.limits.maxBodyBytes} bytes`);
  }
}

function resolveLimits(overrides: Partial<StompLimits> | undefined): StompLimits {
  const limit = (name: keyof StompLimits): number => {
    const value = overrides?.[name] ?? DEFAULT_STOMP_LIMITS[name];
    // A misconfiguration, not a protocol error: fail loudly at construction.
    if (!Number.isSafeInteger(value) || value < 1)
      throw new RangeError(`StompLimits.${name} must be a positive integer`);
    return value;
  };
  return {
    maxFrameBytes: limit('maxFrameBytes'),
    maxBodyBytes: limit('maxBodyBytes'),
    maxHeaders: limit('maxHeaders'),
    maxHeaderLineBytes: limit('maxHeaderLineBytes'),
  };
}
