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

/**
 * Reads the leading send time without allocating a string (runs once per delivery).
 * Returns undefined for bodies that do not start with `<digits>:`.
 */
export function decodeSendTimeUs(body: Uint8Array): number | undefined {
  let value = 0;
  const end = Math.min(body.length, 20);
  for (let i = 0; i < end; i++) {
    const byte = body[i]!;
    if (byte === COLON) return i === 0 ? undefined : value;
    if (byte < ZERO || byte > NINE) return undefined;
    value = value * 10 + (byte - ZERO);
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
