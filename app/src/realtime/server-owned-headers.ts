/** Header names (exact) and name prefixes (families the owner may grow) a party gives meaning to. */
export interface ReservedHeaders {
  readonly names: readonly string[];
  readonly prefixes: readonly string[];
}

/**
 * What the protocol core itself owns: STOMP's frame headers, the sequence, resume (x-replay-*)
 * and the reconnect hint of its ERROR frames. The domain adds its own (room-message-wire.ts).
 */
const PROTOCOL_HEADERS: ReservedHeaders = {
  names: [
    'destination',
    'message-id',
    'subscription',
    'ack',
    'content-length',
    'transaction',
    'receipt',
    'x-seq',
    'x-replayed',
    'x-replay',
    'x-replay-count',
    'x-last-seq',
    'x-reconnect-after-ms',
  ],
  prefixes: ['x-replay'],
};

/**
 * Headers whose meaning on a MESSAGE the server owns: a client's SEND never carries them through,
 * whatever their case (STOMP names are case-sensitive, but a subscriber that looks headers up
 * case-insensitively must not be fooled by `X-Sender`). Built once per server from the protocol's
 * own and those the domain declares.
 */
export class ServerOwnedHeaders {
  private readonly names: ReadonlySet<string>;
  private readonly prefixes: readonly string[];

  constructor(domain: ReservedHeaders) {
    this.names = new Set([...PROTOCOL_HEADERS.names, ...domain.names].map((name) => name.toLowerCase()));
    this.prefixes = [...new Set([...PROTOCOL_HEADERS.prefixes, ...domain.prefixes].map((p) => p.toLowerCase()))];
  }

  has(name: string): boolean {
    const lower = name.toLowerCase();
    if (this.names.has(lower)) return true;
    for (const prefix of this.prefixes) if (lower.startsWith(prefix)) return true;
    return false;
  }
}
