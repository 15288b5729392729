/**
 * Headers whose meaning on a MESSAGE the server owns: a client's SEND never carries them through,
 * whatever their case (STOMP names are case-sensitive, but a subscriber that looks headers up
 * case-insensitively must not be fooled by `X-Sender`).
 */
const SERVER_OWNED = new Set([
  'destination',
  'message-id',
  'subscription',
  'ack',
  'content-length',
  'transaction',
  'receipt',
  'x-seq',
  'x-sender',
  'x-sender-id',
  'x-server-ts',
  'x-event',
  'x-target-seq',
  'x-replayed',
  'x-replay',
  'x-replay-count',
  'x-last-seq',
  'x-room-id',
  'x-reconnect-after-ms',
]);

/** Families the server may grow (x-sender-*, x-server-*, x-replay-*): reserved as a whole. */
const SERVER_OWNED_PREFIXES = ['x-sender', 'x-server', 'x-replay'];

export function isServerOwnedHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return SERVER_OWNED.has(lower) || SERVER_OWNED_PREFIXES.some((prefix) => lower.startsWith(prefix));
}
