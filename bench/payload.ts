/**
 * Message bodies carry their own send time so latency needs no per-message bookkeeping:
 * `<sendTimeUs>:<publisher>:<seq>:` then filler up to the requested size. ASCII digits keep
 * the body valid UTF-8 text, like a real chat message.
 */
const COLON = 0x3a;
const ZERO = 0x30;
const NINE = 0x39;
const FILLER = 'x';

export function encodePayload(sendTimeUs: number, publisher: number, seq: number, size: number): Buffer {
  const head = `${Math.trunc(sendTimeUs)}:${publisher}:${seq}:`;
  if (head.length > size) throw new RangeError(`body size ${size} is too small for header '${head}'`);
  return Buffer.from(head + FILLER.repeat(size - head.length), 'latin1');
}

export interface PayloadHeader {
  readonly sendTimeUs: number;
  readonly publisher: number;
  readonly seq: number;
}

/**
 * Reads `<sendTimeUs>:<publisher>:<seq>:` without allocating strings (runs once per
 * delivery). Returns undefined for bodies that do not start that way.
 */
export function decodePayloadHeader(body: Uint8Array): PayloadHeader | undefined {
  const fields = [0, 0, 0];
  let field = 0;
  let digits = 0;
  const end = Math.min(body.length, 64);
  for (let i = 0; i < end; i++) {
    const byte = body[i]!;
    if (byte === COLON) {
      if (digits === 0) return undefined;
      if (++field === 3) return { sendTimeUs: fields[0]!, publisher: fields[1]!, seq: fields[2]! };
      digits = 0;
    } else if (byte >= ZERO && byte <= NINE && digits < 17) {
      fields[field] = fields[field]! * 10 + (byte - ZERO);
      digits++;
    } else {
      return undefined;
    }
  }
  return undefined;
}

/**
 * Receipt ids carry the SEND time too (`<seq>@<sendTimeUs>`), so receipt latency needs no
 * table of outstanding sends.
 */
export function receiptIdFor(seq: number, sendTimeUs: number): string {
  return `${seq}@${Math.trunc(sendTimeUs)}`;
}

export function receiptSendTimeUs(receiptId: string): number | undefined {
  const match = /^\d+@(\d+)$/.exec(receiptId);
  return match ? Number(match[1]) : undefined;
}
