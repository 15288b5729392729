import { Client, type IFrame, type IMessage, type StompHeaders } from '@stomp/stompjs';
import WebSocket from 'ws';

/** A real @stomp/stompjs client over `ws`, connected and ready, or rejected with the ERROR frame. */
export function connectStomp(
  wsUrl: string,
  connectHeaders: StompHeaders = {},
  options: { heartbeatIncoming?: number; heartbeatOutgoing?: number; wsHeaders?: Record<string, string> } = {},
): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = new Client({
      webSocketFactory: () =>
        new WebSocket(wsUrl, ['v10.stomp', 'v11.stomp', 'v12.stomp'], { headers: options.wsHeaders }),
      connectHeaders,
      reconnectDelay: 0,
      heartbeatIncoming: options.heartbeatIncoming ?? 0,
      heartbeatOutgoing: options.heartbeatOutgoing ?? 0,
      onConnect: () => resolve(client),
      onStompError: (frame: IFrame) => reject(new StompErrorFrame(frame)),
      onWebSocketClose: (event: { code: number }) => reject(new Error(`websocket closed: ${event.code}`)),
    });
    client.activate();
  });
}

/**
 * Connects with a bearer token in the CONNECT frame and records the client in `opened`, so the
 * suite's afterAll can deactivate every client it opened.
 */
export async function connectWithToken(wsUrl: string, token: string, opened: Client[]): Promise<Client> {
  const client = await connectStomp(wsUrl, { Authorization: `Bearer ${token}` });
  opened.push(client);
  return client;
}

export class StompErrorFrame extends Error {
  constructor(readonly frame: IFrame) {
    super(frame.headers['message']);
  }
}

/** Collects messages of one subscription and lets a test wait for a count. */
export class Inbox {
  readonly messages: IMessage[] = [];
  private waiters: Array<() => void> = [];

  readonly push = (message: IMessage): void => {
    this.messages.push(message);
    this.waiters.forEach((wake) => wake());
  };

  async waitFor(count: number, timeoutMs = 5_000): Promise<IMessage[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.messages.length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} messages, got ${this.messages.length}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
      this.waiters = [];
    }
    return this.messages;
  }
}

/** Resolves when the client's WebSocket closes, with the ERROR frame it got first, if any. */
export function sessionEnd(client: Client): Promise<IFrame | undefined> {
  return new Promise((resolve) => {
    let error: IFrame | undefined;
    client.onStompError = (frame) => (error = frame);
    client.onWebSocketClose = () => resolve(error);
  });
}

/**
 * Rejects with the ERROR frame (or the close) that ends the client's session, for racing a wait
 * on the server (a RECEIPT, messages) so a refused SEND fails the test at once with the server's
 * reason instead of a timeout. Replaces the client's onStompError and onWebSocketClose (sessionEnd).
 */
export function sessionFailure(client: Client): Promise<never> {
  const failure = sessionEnd(client).then((error) => {
    throw error === undefined ? new Error('websocket closed without an ERROR frame') : new StompErrorFrame(error);
  });
  failure.catch(() => {}); // a session closed at the end of a test is no failure unless raced
  return failure;
}

/** Subscribes `inbox` to `destination` and resolves once the server's RECEIPT says it took. */
export function subscribedWithReceipt(client: Client, destination: string, inbox = new Inbox()): Promise<Inbox> {
  return new Promise((resolve) => {
    const receipt = `sub-${destination}-${Math.random().toString(36).slice(2)}`;
    client.watchForReceipt(receipt, () => resolve(inbox));
    client.subscribe(destination, inbox.push, { receipt });
  });
}
