/** One argument of a Redis command: text (written as UTF-8), raw bytes, or a number (as decimal text). */
export type RespArgument = string | Buffer | number;

/**
 * A whole Redis command in RESP2 (`*<count>\r\n` then `$<length>\r\n<bytes>\r\n` per part), in one
 * buffer of exactly its size. Pure: no Redis, no I/O.
 *
 * Everything between two raw-bytes arguments is joined into one string first and written with one
 * call: for the publish script (16 arguments, one of them the message bytes) that is two string
 * writes and one copy, where writing each part on its own made this function 15 % of the
 * service's CPU at receipt saturation (`--cpu-prof`, receipts-redis-8x24000).
 */
export function encodeCommand(name: readonly RespArgument[], args: readonly RespArgument[]): Buffer {
  const segments: Array<string | Buffer> = [];
  let text = `*${name.length + args.length}\r\n`;
  for (let i = 0; i < name.length + args.length; i++) {
    const part = i < name.length ? name[i]! : args[i - name.length]!;
    if (typeof part === 'string') {
      text += `$${Buffer.byteLength(part, 'utf8')}\r\n${part}\r\n`;
    } else if (typeof part === 'number') {
      const digits = String(part);
      text += `$${digits.length}\r\n${digits}\r\n`;
    } else {
      segments.push(`${text}$${part.length}\r\n`, part);
      text = '\r\n';
    }
  }
  segments.push(text);
  let size = 0;
  for (const segment of segments)
    size += typeof segment === 'string' ? Buffer.byteLength(segment, 'utf8') : segment.length;
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const segment of segments)
    at += typeof segment === 'string' ? out.write(segment, at, 'utf8') : segment.copy(out, at);
  return out;
}
