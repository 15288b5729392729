import WebSocket from 'ws';
import { ChatClient, type ChatClientOptions, type ChatMessage } from '../../client/src/chat-client.js';
import { until } from './until.js';

export const SDK_PASSWORD = 'correct horse battery';

/** Fast reconnects for tests: the defaults (0.5 s doubling to 30 s) are for real networks. */
const TEST_BACKOFF = { initialMs: 100, maxMs: 400, restartMinMs: 100 };

/** Registers `username` and returns a connected SDK client (Node 20: `ws` as the WebSocket). */
export async function sdkUser(
  httpUrl: string,
  username: string,
  options: Partial<ChatClientOptions> = {},
  opened: ChatClient[] = [],
): Promise<ChatClient> {
  const chat = await ChatClient.register({
    url: httpUrl,
    username,
    password: SDK_PASSWORD,
    webSocket: WebSocket,
    backoff: TEST_BACKOFF,
    ...options,
  });
  opened.push(chat);
  await chat.online();
  return chat;
}

/** Every `message` event of one room, in the order the application saw them. */
export class RoomLog {
  readonly messages: ChatMessage[] = [];

  constructor(chat: ChatClient, roomId: string) {
    chat.on('message', (message) => {
      if (message.roomId === roomId) this.messages.push(message);
    });
  }

  get bodies(): string[] {
    return this.messages.map((message) => message.body);
  }

  get seqs(): number[] {
    return this.messages.map((message) => message.seq);
  }

  async waitForCount(count: number, timeoutMs = 15_000): Promise<void> {
    await until(() => this.messages.length >= count, timeoutMs).catch(() => {
      throw new Error(`expected ${count} messages, got ${this.messages.length}`);
    });
  }
}

/** True when seqs go up by exactly one each time: nothing missed, nothing twice, in order. */
export function isContiguous(seqs: readonly number[]): boolean {
  return seqs.every((seq, index) => index === 0 || seq === seqs[index - 1]! + 1);
}
