/**
 * Bounds on what one peer may make the parser hold. They exist so that a hostile or buggy
 * client cannot grow a connection's memory without limit; a parser never buffers much more
 * than `maxFrameBytes`.
 */
export interface StompLimits {
  /**
   * Largest whole frame in bytes: command line, header lines and the blank line (each with its
   * EOL), body and the terminating NUL. Heart-beat EOLs between frames do not count.
   */
  readonly maxFrameBytes: number;
  /** Largest body in bytes, whether delimited by `content-length` or by the first NUL. */
  readonly maxBodyBytes: number;
  /** Most header lines in one frame, counting repeated names every time they appear. */
  readonly maxHeaders: number;
  /**
   * Longest command or header line in bytes, before the LF and before unescaping; the CR of a
   * CRLF counts (so the check can be made without waiting for the next byte).
   */
  readonly maxHeaderLineBytes: number;
}

export const DEFAULT_STOMP_LIMITS: StompLimits = Object.freeze({
  /** 64 KiB: a chat message with generous headers; larger payloads belong in an upload API. */
  maxFrameBytes: 64 * 1024,
  /** 64 KiB: in practice the frame limit binds first, this one guards body-specific callers. */
  maxBodyBytes: 64 * 1024,
  /** 64: real clients send fewer than 15; the rest is room for user headers on SEND. */
  maxHeaders: 64,
  /** 8 KiB: fits a bearer token in a CONNECT header with room to spare. */
  maxHeaderLineBytes: 8 * 1024,
});
