import { WebSocket } from 'ws';

/** RFC 6455: the message is too big to process. */
const MESSAGE_TOO_BIG = 1009;

/**
 * The `ws` socket with one hook: when a message exceeds the server's maxPayload, `ws` closes the
 * socket itself (close 1009, no reason) and only then reports the error, so the peer would see a
 * bare close without knowing why. `ws` starts that close by calling `close(1009)` with no reason
 * while the socket is still open (a close the peer asked for always passes its reason, and ours
 * always pass one too), so this override gets there first and lets the session send its STOMP
 * ERROR before the close frame. The oversized payload itself is never buffered: `ws` refuses it
 * from the frame header's declared length.
 */
export class StompWebSocket extends WebSocket {
  /** Sends the ERROR and closes the socket (with a reason); called at most once. */
  onMessageTooBig: (() => void) | undefined;

  override close(code?: number, data?: string | Buffer): void {
    const hook = this.onMessageTooBig;
    if (hook !== undefined && code === MESSAGE_TOO_BIG && data === undefined && this.readyState === WebSocket.OPEN) {
      this.onMessageTooBig = undefined;
      hook();
      if (this.readyState !== WebSocket.OPEN) return;
    }
    super.close(code, data);
  }
}
