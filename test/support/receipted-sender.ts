import type { Client, StompHeaders } from '@stomp/stompjs';
import { connectStomp } from './stomp-client.js';

/**
 * A @stomp/stompjs client that SENDs with a receipt and tells whether the server confirmed:
 * false when its socket closed (the instance died) or no RECEIPT came in time, so a test can
 * retry elsewhere the way a client library does.
 */
export class ReceiptedSender {
  private readonly waiting = new Set<(receipted: boolean) => void>();
  private closed = false;
  private sent = 0;
  /**
   * Called once, right after the next SEND is written (then cleared): a fault test kills the
   * server here, so that SEND is surely in flight and without a RECEIPT when the server dies.
   */
  afterNextSend: (() => void) | undefined;

  private constructor(readonly client: Client) {
    client.onWebSocketClose = () => {
      this.closed = true;
      for (const settle of [...this.waiting]) settle(false);
    };
  }

  static async connect(wsUrl: string, connectHeaders: StompHeaders): Promise<ReceiptedSender> {
    return new ReceiptedSender(await connectStomp(wsUrl, connectHeaders));
  }

  get open(): boolean {
    return !this.closed;
  }

  /** SENDs not yet receipted nor given up. */
  get pending(): number {
    return this.waiting.size;
  }

  send(destination: string, body: string, headers: StompHeaders, timeoutMs: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    const receipt = `send-${++this.sent}`;
    return new Promise((resolve) => {
      const settle = (receipted: boolean) => {
        clearTimeout(timer);
        this.waiting.delete(settle);
        resolve(receipted);
      };
      const timer = setTimeout(() => settle(false), timeoutMs);
      this.waiting.add(settle);
      this.client.watchForReceipt(receipt, () => settle(true));
      try {
        this.client.publish({ destination, body, headers: { ...headers, receipt } });
      } catch {
        settle(false); // the STOMP connection is gone already
      }
      const hook = this.afterNextSend;
      this.afterNextSend = undefined;
      hook?.();
    });
  }

  async close(): Promise<void> {
    await this.client.deactivate();
  }
}
