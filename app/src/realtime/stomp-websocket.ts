import { WebSocket } from 'ws';

/** RFC 6455: the message is too big to process. */
const MESSAGE_TOO_BIG = 1009;

/** What a StompWebSocket reports to whoever carries a session over it. */
export interface StompWebSocketOwner {
  /** Sends the STOMP ERROR and closes the socket with a reason; safe to call more than once. */
  messageTooBig(): void;
}

/**
 * The `ws` socket with one hook: when a message exceeds the server's maxPayload, `ws` closes the
 * socket itself (close 1009, no reason) and only then reports the error, so the peer would see a
 * bare close without knowing why. `ws` starts that close by calling `close(1009)` with no reason
 * while the socket is still open (a close the peer asked for always passes its reason, and ours
 * always pass one too), so this override gets there first and lets the session send its STOMP
 * ERROR before the close frame. The oversized payload itself is never buffered: `ws` refuses it
 * from the frame header's declared length.
 *
 * The owner is a field rather than a closure per socket: idle connections are most of a chat
 * server's memory, and each closure costs its context as well.
 */
export class StompWebSocket extends WebSocket {
  owner: StompWebSocketOwner | undefined;

  override close(code?: number, data?: string | Buffer): void {
    const owner = this.owner;
    if (owner !== undefined && code === MESSAGE_TOO_BIG && data === undefined && this.readyState === WebSocket.OPEN) {
      owner.messageTooBig();
      if (this.readyState !== WebSocket.OPEN) return;
    }
    super.close(code, data);
  }
}
