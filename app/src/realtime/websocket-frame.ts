/**
 * The largest payload framed here in one buffer. Framing copies the payload behind the header;
 * past this size the copy costs more than handing `ws` the payload as a second buffer.
 */
export const ONE_BUFFER_FRAME_MAX = 16 * 1024;

const FIN = 0x80;
const OPCODE_TEXT = 0x1;
const OPCODE_BINARY = 0x2;

/**
 * A complete, final, unmasked WebSocket data frame (RFC 6455 §5.2: servers never mask) with its
 * payload, in one buffer. `ws` frames a message as a header buffer plus the payload, so a
 * delivery costs two buffered writes and a `writev`; one buffer is one write.
 */
export function encodeServerFrame(payload: Buffer, text: boolean): Buffer {
  const length = payload.length;
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = FIN | (text ? OPCODE_TEXT : OPCODE_BINARY);
  if (length < 126) {
    frame[1] = length;
  } else if (length < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  payload.copy(frame, headerLength);
  return frame;
}

/**
 * Frames each payload once while the same payload is sent again and again, which is what a
 * fan-out does: every subscriber sharing a subscription id gets the same STOMP frame buffer
 * (PreparedMessage.render), so the WebSocket frame around it is built once per message rather
 * than once per subscriber. Keeps only the last payload and its frame, and knows a payload by
 * identity: a payload must not change once sent (as with `ws`, which keeps it queued by reference).
 */
export class LastFrameMemo {
  private payload: Buffer | undefined;
  private text = false;
  private frame: Buffer | undefined;

  frameOf(payload: Buffer, text: boolean): Buffer {
    if (payload !== this.payload || text !== this.text) {
      this.frame = encodeServerFrame(payload, text);
      this.payload = payload;
      this.text = text;
    }
    return this.frame!;
  }
}
