import type { OutgoingMessage, PublishedMessage } from './backplane.port.js';
import { publishedMessage } from './published-message.js';

/**
 * The wire format of a message on a Redis channel and in the Redis streams (replay log and
 * persist queue). Pure: no Redis, no I/O.
 *
 *   frame   = meta content
 *   meta    = seq SP publishedAt SP            ASCII decimals, written by the publish script
 *                                             (or by the client for ephemeral messages, seq 0)
 *   content = version:u8 (=1) flags:u8
 *             idLength:u8 id
 *             destinationLength:u16 destination
 *             headerCount:u16 { nameLength:u32 name valueLength:u32 value }*
 *             body                            the rest of the frame, raw bytes
 *
 * Integers are big-endian; strings are UTF-8. The body is never transformed, so NULs and any
 * other bytes survive, and it costs no base64 inflation. The meta is text because the Lua script
 * prepends it with one string concatenation and needs no binary packing library.
 */
export const WIRE_VERSION = 1;

const FLAG_EPHEMERAL = 0x01;
const SPACE = 0x20;
const DIGIT_0 = 0x30;
const MAX_ID_BYTES = 0xff;
const MAX_DESTINATION_BYTES = 0xffff;
const MAX_HEADERS = 0xffff;

/** The part the publishing instance writes: everything but seq and publishedAt. */
export function encodeContent(id: string, message: OutgoingMessage): Buffer {
  const idBytes = Buffer.byteLength(id);
  const destinationBytes = Buffer.byteLength(message.destination);
  if (idBytes > MAX_ID_BYTES) throw new RangeError(`message id longer than ${MAX_ID_BYTES} bytes`);
  if (destinationBytes > MAX_DESTINATION_BYTES)
    throw new RangeError(`destination longer than ${MAX_DESTINATION_BYTES} bytes`);
  if (message.headers.length > MAX_HEADERS) throw new RangeError(`more than ${MAX_HEADERS} headers`);

  let size = 2 + 1 + idBytes + 2 + destinationBytes + 2 + message.body.length;
  for (const [name, value] of message.headers) size += 8 + Buffer.byteLength(name) + Buffer.byteLength(value);

  const out = Buffer.allocUnsafe(size);
  let at = out.writeUInt8(WIRE_VERSION, 0);
  at = out.writeUInt8(message.ephemeral === true ? FLAG_EPHEMERAL : 0, at);
  at = out.writeUInt8(idBytes, at);
  at += out.write(id, at);
  at = out.writeUInt16BE(destinationBytes, at);
  at += out.write(message.destination, at);
  at = out.writeUInt16BE(message.headers.length, at);
  for (const [name, value] of message.headers) {
    const nameAt = at + 4;
    const nameBytes = out.write(name, nameAt);
    out.writeUInt32BE(nameBytes, at);
    at = nameAt + nameBytes;
    const valueBytes = out.write(value, at + 4);
    out.writeUInt32BE(valueBytes, at);
    at += 4 + valueBytes;
  }
  message.body.copy(out, at);
  return out;
}

/** What the publish script does on Redis, for messages that skip it (ephemeral ones). */
export function encodeFrame(seq: number, publishedAt: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${seq} ${publishedAt} `, 'latin1'), content]);
}

/**
 * Decodes a frame. The body is copied out: Redis reply buffers may be slices of a pool that
 * the parser reuses, and a listener may keep the body long after this call.
 */
export function decodeFrame(frame: Buffer): PublishedMessage {
  const cursor = { at: 0 };
  const seq = readDecimal(frame, cursor);
  const publishedAt = readDecimal(frame, cursor);
  const version = readUnsigned(frame, cursor, 1);
  if (version !== WIRE_VERSION) throw new Error(`unsupported backplane wire version ${version}`);
  const flags = readUnsigned(frame, cursor, 1);
  const id = readString(frame, cursor, 1);
  const destination = readString(frame, cursor, 2);
  const headerCount = readUnsigned(frame, cursor, 2);
  const headers: Array<readonly [string, string]> = new Array(headerCount);
  for (let i = 0; i < headerCount; i++) {
    const name = readString(frame, cursor, 4);
    headers[i] = [name, readString(frame, cursor, 4)];
  }

  const body = Buffer.from(frame.subarray(cursor.at));
  const ephemeral = (flags & FLAG_EPHEMERAL) !== 0 ? true : undefined;
  return publishedMessage({ destination, headers, body, ephemeral }, id, seq, publishedAt);
}

function readDecimal(frame: Buffer, cursor: { at: number }): number {
  let value = 0;
  let at = cursor.at;
  const start = at;
  for (; at < frame.length; at++) {
    const byte = frame[at]!;
    if (byte === SPACE) break;
    const digit = byte - DIGIT_0;
    if (digit < 0 || digit > 9) throw new Error(`malformed backplane frame: bad digit at byte ${at}`);
    value = value * 10 + digit;
  }
  if (at === start || at >= frame.length) throw new Error('malformed backplane frame: truncated meta');
  cursor.at = at + 1;
  return value;
}

/** A big-endian unsigned integer of `bytes` bytes at the cursor. */
function readUnsigned(frame: Buffer, cursor: { at: number }, bytes: 1 | 2 | 4): number {
  need(frame, cursor.at, bytes);
  const value =
    bytes === 1
      ? frame.readUInt8(cursor.at)
      : bytes === 2
        ? frame.readUInt16BE(cursor.at)
        : frame.readUInt32BE(cursor.at);
  cursor.at += bytes;
  return value;
}

/** A UTF-8 string preceded by its byte length in `lengthBytes` bytes. */
function readString(frame: Buffer, cursor: { at: number }, lengthBytes: 1 | 2 | 4): string {
  const length = readUnsigned(frame, cursor, lengthBytes);
  need(frame, cursor.at, length);
  const text = frame.toString('utf8', cursor.at, cursor.at + length);
  cursor.at += length;
  return text;
}

function need(frame: Buffer, at: number, bytes: number): void {
  if (at + bytes > frame.length) throw new Error('malformed backplane frame: truncated');
}
