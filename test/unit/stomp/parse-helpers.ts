import type { StompCommand, StompVersion } from '../../../app/src/stomp/frame.js';
import type { StompLimits } from '../../../app/src/stomp/limits.js';
import { StompParser } from '../../../app/src/stomp/parser.js';
import { StompError, type StompErrorCode } from '../../../app/src/stomp/stomp-error.js';

/** A parser event in a form jest can compare (headers as ordered entries). */
export type ParseEvent =
  | { readonly heartbeat: true }
  | { readonly command: StompCommand; readonly headers: [string, string][]; readonly body: Buffer };

export interface ParseOutcome {
  readonly events: ParseEvent[];
  /** The code of the StompError that stopped parsing, if any. */
  readonly error?: StompErrorCode;
}

export interface ParseOptions {
  readonly version?: StompVersion;
  readonly limits?: Partial<StompLimits>;
}

export const HEARTBEAT_EVENT: ParseEvent = { heartbeat: true };

export function frameEvent(
  command: StompCommand,
  headers: [string, string][] = [],
  body: Buffer | string = '',
): ParseEvent {
  return { command, headers, body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body };
}

/** Feeds the chunks in order; a StompError ends the run, any other exception escapes (a bug). */
export function parseChunks(chunks: readonly (Buffer | string)[], options: ParseOptions = {}): ParseOutcome {
  const events: ParseEvent[] = [];
  const parser = new StompParser(
    {
      onFrame: (frame) => events.push({ command: frame.command, headers: [...frame.headers], body: frame.body }),
      onHeartbeat: () => events.push(HEARTBEAT_EVENT),
    },
    options.limits,
  );
  if (options.version !== undefined) parser.version = options.version;
  for (const chunk of chunks) {
    try {
      parser.push(chunk);
    } catch (error) {
      if (error instanceof StompError) return { events, error: error.code };
      throw error;
    }
  }
  return { events };
}

export function toBytes(input: Buffer | string): Buffer {
  return typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
}

/** Every way to cut the input into two chunks (the first may be empty). */
export function everyTwoWaySplit(input: Buffer): Buffer[][] {
  const splits: Buffer[][] = [];
  for (let at = 0; at <= input.length; at++) splits.push([input.subarray(0, at), input.subarray(at)]);
  return splits;
}

/** One-byte chunks. Each is a fresh copy, as a transport would deliver them. */
export function byteByByte(input: Buffer): Buffer[] {
  return Array.from(input, (byte) => Buffer.from([byte]));
}

/** Cut the input at the given (unsorted, possibly repeated or out-of-range) positions. */
export function splitAt(input: Buffer, positions: readonly number[]): Buffer[] {
  const cuts = [...new Set(positions.map((p) => Math.min(Math.max(p, 0), input.length)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const cut of cuts) {
    chunks.push(Buffer.from(input.subarray(from, cut)));
    from = cut;
  }
  chunks.push(Buffer.from(input.subarray(from)));
  return chunks;
}

/** The code of the StompError the action throws, or undefined; other exceptions escape. */
export function stompErrorCode(action: () => void): StompErrorCode | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof StompError) return error.code;
    throw error;
  }
  return undefined;
}
