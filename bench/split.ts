/**
 * Splits `total` items over `parts` buckets as evenly as possible, larger buckets first,
 * so connection counts and rates add up exactly to what the scenario asked for.
 */
export function splitEvenly(total: number, parts: number): number[] {
  if (!Number.isInteger(total) || total < 0) throw new RangeError(`total must be a non-negative integer, got ${total}`);
  if (!Number.isInteger(parts) || parts < 1) throw new RangeError(`parts must be a positive integer, got ${parts}`);
  const base = Math.floor(total / parts);
  const extra = total % parts;
  return Array.from({ length: parts }, (_, i) => base + (i < extra ? 1 : 0));
}

/** Start offset of each bucket, so every connection keeps a globally unique index. */
export function offsets(counts: readonly number[]): number[] {
  let next = 0;
  return counts.map((count) => {
    const start = next;
    next += count;
    return start;
  });
}
