/**
 * process.hrtime is CLOCK_MONOTONIC on Linux, a single system-wide clock, so a timestamp
 * taken in the publisher worker can be subtracted from one taken in another worker process
 * on the same machine without any epoch exchange, and it never jumps with NTP.
 */
export function nowUs(): number {
  // Divide as bigint first: nanoseconds since boot overflow double precision after ~104 days.
  return Number(process.hrtime.bigint() / 1000n);
}

export function nowMs(): number {
  return nowUs() / 1000;
}
