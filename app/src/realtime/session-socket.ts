/**
 * The transport under a STOMP session. The ws server adapts a WebSocket to it; unit tests use
 * an in-memory one, so the session's protocol logic is tested without a network.
 */
export interface SessionSocket {
  /** `text` sends a WebSocket text message (valid UTF-8); otherwise a binary one. */
  send(data: Buffer, text: boolean): void;
  /** Bytes queued but not yet written to the network. */
  readonly bufferedAmount: number;
  close(code: number, reason: string): void;
  /** A WebSocket ping, so load balancers see traffic on idle connections. */
  ping(): void;
}
