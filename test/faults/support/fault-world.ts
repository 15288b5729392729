import type { Client, IFrame } from '@stomp/stompjs';
import mysql from 'mysql2/promise';
import { callApi } from '../../support/rest-client.js';
import type { ScratchDatabase } from '../../support/scratch-mysql.js';
import { connectStomp, Inbox } from '../../support/stomp-client.js';
import type { RunningApp } from '../../support/test-app.js';
import { until } from '../../support/until.js';
import type { OwnRedis } from './own-redis.js';

/**
 * What every instance of a fault suite shares: the suite's own Redis, its scratch MariaDB
 * database (users, rooms and messages), one JWT secret; limits out of the way, short bounds so
 * a fault shows within seconds.
 */
export function faultEnv(redis: Pick<OwnRedis, 'url'>, database: ScratchDatabase, extra: Record<string, string> = {}) {
  return {
    BACKPLANE: 'redis',
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: 'chat:',
    REDIS_COMMAND_TIMEOUT_MS: '1000',
    DATABASE: 'mysql',
    MYSQL_URL: database.url,
    JWT_SECRET: 'fault-suite-secret-fault-suite-secret-0123',
    SHUTDOWN_DRAIN_MS: '0',
    PERSISTER_LINGER_MS: '10',
    // An entry whose read reply an outage swallowed is handed out again after this (30 s by default).
    PERSISTER_CLAIM_IDLE_MS: '2000',
    STOMP_SEND_RATE_PER_SECOND: '100000',
    STOMP_SEND_BURST: '100000',
    STOMP_USER_SEND_RATE_PER_SECOND: '100000',
    STOMP_USER_SEND_BURST: '100000',
    ...extra,
  };
}

/** A STOMP client that records its ERROR frames and close codes, for sends whose outcome the test checks. */
export class FaultClient {
  readonly errors: IFrame[] = [];
  readonly closeCodes: number[] = [];
  private receiptCounter = 0;

  private constructor(readonly client: Client) {
    client.onStompError = (frame) => this.errors.push(frame);
    client.onWebSocketClose = (event: { code: number }) => this.closeCodes.push(event.code);
  }

  static async connect(wsUrl: string, token: string): Promise<FaultClient> {
    return new FaultClient(await connectStomp(wsUrl, { Authorization: `Bearer ${token}` }));
  }

  async subscribe(destination: string, headers: Record<string, string> = {}): Promise<Inbox> {
    const inbox = new Inbox();
    const receipt = `sub-${++this.receiptCounter}`;
    const subscribed = new Promise<void>((resolve) => this.client.watchForReceipt(receipt, () => resolve()));
    this.client.subscribe(destination, inbox.push, { ...headers, receipt });
    await subscribed;
    return inbox;
  }

  /**
   * Sends and resolves with the RECEIPT, or with the ERROR that answered this SEND instead;
   * rejects if neither came within `timeoutMs` (a SEND left unanswered).
   */
  send(
    destination: string,
    body: string,
    headers: Record<string, string> = {},
    timeoutMs = 10_000,
  ): Promise<{ receipt?: IFrame; error?: IFrame }> {
    const receipt = `send-${++this.receiptCounter}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no RECEIPT nor ERROR for ${receipt}`)), timeoutMs);
      this.client.watchForReceipt(receipt, (frame) => {
        clearTimeout(timer);
        resolve({ receipt: frame });
      });
      const before = this.client.onStompError;
      this.client.onStompError = (frame) => {
        before(frame);
        if (frame.headers['receipt-id'] === receipt) {
          clearTimeout(timer);
          resolve({ error: frame });
        }
      };
      this.client.publish({ destination, body, headers: { ...headers, receipt } });
    });
  }

  async close(): Promise<void> {
    await this.client.deactivate();
  }
}

/** The clients one test opened, closed together when it ends. */
export class FaultClients {
  private readonly opened: FaultClient[] = [];

  async connect(instance: Pick<RunningApp, 'wsUrl'>, token: string): Promise<FaultClient> {
    const client = await FaultClient.connect(instance.wsUrl, token);
    this.opened.push(client);
    return client;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.opened.map((client) => client.close()));
  }
}

/** Every item of a room's REST history, oldest first (paging through it all). */
export async function fullHistory(
  httpUrl: string,
  roomId: string,
  token: string,
): Promise<Array<{ seq: number; body: string }>> {
  const items: Array<{ seq: number; body: string }> = [];
  let before: number | null = null;
  do {
    const page = await callApi(
      httpUrl,
      'GET',
      `/rooms/${roomId}/messages?limit=200${before === null ? '' : `&before=${before}`}`,
      undefined,
      token,
    );
    if (page.status !== 200) throw new Error(`history: ${page.status} ${JSON.stringify(page.body)}`);
    items.push(...page.body.messages.map(({ seq, body }: { seq: number; body: string }) => ({ seq, body })));
    before = page.body.nextBefore;
  } while (before !== null);
  return items.reverse();
}

/** What the message store itself holds for a room (not what history shows from the replay log): seq and body. */
export async function storedRows(
  database: ScratchDatabase,
  roomId: string,
): Promise<Array<{ seq: number; body: string }>> {
  const connection = await mysql.createConnection(database.url);
  try {
    const [rows] = await connection.query('SELECT seq, body FROM messages WHERE room_id = ? ORDER BY seq', [roomId]);
    return (rows as Array<{ seq: number | string; body: Buffer }>).map((row) => ({
      seq: Number(row.seq),
      body: row.body.toString(),
    }));
  } finally {
    await connection.end();
  }
}

/** Waits until the store holds `count` messages of the room (the write-behind persister caught up). */
export async function untilStored(database: ScratchDatabase, roomId: string, count: number): Promise<void> {
  await until(async () => (await storedRows(database, roomId)).length >= count, 15_000);
}

/** Sequences in order, each once, none missing between the first and the last. */
export function contiguous(seqs: readonly number[]): boolean {
  return seqs.every((seq, i) => i === 0 || seq === seqs[i - 1]! + 1);
}
