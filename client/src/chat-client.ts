/**
 * The SDK's entry point: `ChatClient`. See docs/client.md.
 *
 * It keeps the server's promises for the application: every room message once and in order
 * across reconnects (last `x-seq` per room, resume with `x-since-seq`, gaps filled from REST
 * history, duplicates dropped), every message sent delivered once (an outbox retried with the
 * same `x-client-msg-id` until its RECEIPT), a session that outlives its access token (renewed
 * in-band), and reconnects spread out with jitter and the server's drain hint.
 */
import type { IFrame, IMessage } from '@stomp/stompjs';
import { DEFAULT_BACKOFF, reconnectDelayMs, type BackoffPolicy } from './backoff.js';
import { newClientMsgId } from './client-msg-id.js';
import { destinations } from './destinations.js';
import { ChatError, isFatalSessionError, isPermanentSendError } from './errors.js';
import { TypedEmitter, type ChatEvents, type ConnectionState } from './events.js';
import { Outbox } from './outbox.js';
import { RestApi, type AuthorizedApi, type TokenPair } from './rest-api.js';
import { RoomFeed, type FeedItem } from './room-feed.js';
import { SessionTokens } from './session-tokens.js';
import { StompLink, type LinkEnd, type WebSocketClass } from './stomp-link.js';
import { Timers } from './timers.js';
import { ephemeralEvent, feedItemFromFrame, feedItemFromHistory } from './wire-events.js';

export { ChatError } from './errors.js';
export type { ChatErrorCode } from './errors.js';
export type * from './events.js';
export type { FeedItem } from './room-feed.js';
export type { Room, User, TokenPair, HistoryItem } from './rest-api.js';
export type { WebSocketClass } from './stomp-link.js';

export interface ChatClientOptions {
  /** The server's HTTP base URL, e.g. `http://localhost:8080`. */
  readonly url: string;
  /** STOMP endpoint(s). A function is asked again before every connection attempt. @default url with ws(s): and /ws */
  readonly wsUrl?: string | (() => string);
  /** @default globalThis.WebSocket (browsers, Node 22); pass `ws` on Node 20 */
  readonly webSocket?: WebSocketClass;
  readonly backoff?: Partial<BackoffPolicy>;
  /** Renew the access token when this fraction of its lifetime has passed. @default 0.8 */
  readonly renewAtFraction?: number;
  /** STOMP heart-beats both ways; a silent connection is dropped after about twice this. @default 10000 */
  readonly heartbeatMs?: number;
  /** @default 10000 */
  readonly connectTimeoutMs?: number;
  /** Messages in the first history page of a joined room. @default 50 */
  readonly historyPageSize?: number;
  /** Unacknowledged messages written to one connection at a time (the rest wait). @default 32 */
  readonly sendWindow?: number;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** For tests: the random source behind the reconnect jitter. @default Math.random */
  readonly random?: () => number;
}

export interface Credentials {
  readonly username: string;
  readonly password: string;
}

/** What joining a room gives: its latest history, oldest first, and the cursor for older pages. */
export interface JoinedRoom {
  readonly items: FeedItem[];
  readonly nextBefore: number | null;
}

const HISTORY_FILL_PAGE = 200;
const RENEW_RETRY_MS = 5_000;

export class ChatClient extends TypedEmitter<ChatEvents> {
  /** REST calls as this user (rooms, members, history, presence), refreshing the token when needed. */
  readonly api: AuthorizedApi;
  private readonly tokens: SessionTokens;
  private readonly timers = new Timers();
  private readonly outbox = new Outbox();
  private readonly feeds = new Map<string, RoomFeed>();
  /** Per room, how to unsubscribe its topics on the current connection. */
  private readonly roomSubscriptions = new Map<string, Array<() => void>>();
  private readonly backoff: BackoffPolicy;
  private link: StompLink | undefined;
  private connection = 0;
  private attempt = 0;
  private requestCounter = 0;
  private currentState: ConnectionState = 'connecting';
  private everOnline = false;
  private closed = false;
  private cancelRetry: (() => void) | undefined;
  private cancelRenewal: (() => void) | undefined;
  private connectionSessionId: string | undefined;
  private readonly removeNetworkListeners: () => void;

  /** Logs in over REST and starts connecting (see `online()`). */
  static async login(options: ChatClientOptions & Credentials): Promise<ChatClient> {
    const rest = new RestApi(trimSlash(options.url), options.fetch);
    return new ChatClient(options, await rest.login(options.username, options.password));
  }

  /** Registers the account, then logs in. */
  static async register(options: ChatClientOptions & Credentials & { displayName?: string }): Promise<ChatClient> {
    const rest = new RestApi(trimSlash(options.url), options.fetch);
    await rest.register(options.username, options.password, options.displayName);
    return ChatClient.login(options);
  }

  /** Starts from a token pair the application already has. */
  constructor(
    private readonly options: ChatClientOptions,
    tokens: TokenPair,
  ) {
    super();
    const rest = new RestApi(trimSlash(options.url), options.fetch);
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.tokens = new SessionTokens(rest, tokens, options.renewAtFraction ?? 0.8, Date.now, () => this.tokensChanged());
    this.api = rest.authorized(this.tokens);
    this.removeNetworkListeners = this.watchBrowserNetwork();
    void this.openLink();
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  /** The server's id of the current STOMP session (changes on every reconnect). */
  get sessionId(): string | undefined {
    return this.connectionSessionId;
  }

  /** The tokens in use now (they rotate on every refresh). */
  get tokenPair(): TokenPair {
    return this.tokens.current;
  }

  /** Messages sent and not acknowledged by the server yet. */
  get pendingCount(): number {
    return this.outbox.size;
  }

  /** The last `x-seq` delivered for a joined room. */
  lastSeq(roomId: string): number | undefined {
    return this.feeds.get(roomId)?.lastSeq;
  }

  /** Resolves when connected (at once if already); rejects if the client closes first. */
  online(): Promise<void> {
    if (this.currentState === 'online') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const off = this.on('state', ({ state, reason }) => {
        if (state === 'online') resolve();
        else if (state === 'closed') reject(reason ?? new ChatError('CLIENT_CLOSED', 'the client was closed'));
        else return;
        off();
      });
    });
  }

  /**
   * Follows a room: its messages, edits, deletions, typing and presence arrive as events from now
   * on, across reconnects, each sequenced item once and in order. Resolves with the latest page
   * of history (oldest first); pass `sinceSeq` instead to resume after a seq the application
   * already has (then nothing is read from history and the replay brings the rest).
   */
  async join(roomId: string, options: { sinceSeq?: number } = {}): Promise<JoinedRoom> {
    if (this.feeds.has(roomId)) return { items: [], nextBefore: null };
    let joined: JoinedRoom = { items: [], nextBefore: null };
    let lastSeq = options.sinceSeq;
    if (lastSeq === undefined) {
      const page = await this.api.history(roomId, { limit: this.options.historyPageSize ?? 50 });
      joined = {
        items: page.messages.map((item) => feedItemFromHistory(roomId, item)).reverse(),
        nextBefore: page.nextBefore,
      };
      lastSeq = joined.items.at(-1)?.seq ?? 0;
    }
    if (this.closed || this.feeds.has(roomId)) return joined;
    const feed = new RoomFeed(roomId, lastSeq, {
      fill: (afterSeq, beforeSeq) => this.readRange(roomId, afterSeq, beforeSeq),
      deliver: (item) => this.emit(item.type, item.event as never),
      gap: (afterSeq, beforeSeq, error) => this.emit('gap', { roomId, afterSeq, beforeSeq, error }),
    });
    this.feeds.set(roomId, feed);
    if (this.link?.connected) this.subscribeRoom(this.link, feed);
    return joined;
  }

  /** Stops following a room. */
  leave(roomId: string): void {
    this.feeds.get(roomId)?.close();
    this.feeds.delete(roomId);
    this.roomSubscriptions.get(roomId)?.forEach((unsubscribe) => unsubscribe());
    this.roomSubscriptions.delete(roomId);
  }

  /** An older page of a room's history, oldest first; pass the previous `nextBefore`. */
  async history(roomId: string, before: number, limit = this.options.historyPageSize ?? 50): Promise<JoinedRoom> {
    const page = await this.api.history(roomId, { before, limit });
    return {
      items: page.messages.map((item) => feedItemFromHistory(roomId, item)).reverse(),
      nextBefore: page.nextBefore,
    };
  }

  /**
   * Sends a room message. Resolves once the server has sequenced it (its RECEIPT), however many
   * reconnects that takes; rejects only if the server refuses it for good or the client closes.
   */
  send(roomId: string, body: string, options: { contentType?: string; clientMsgId?: string } = {}): Promise<void> {
    if (this.closed) return Promise.reject(new ChatError('CLIENT_CLOSED', 'the client was closed'));
    const accepted = this.outbox.add({
      clientMsgId: options.clientMsgId ?? newClientMsgId(),
      roomId,
      body,
      contentType: options.contentType ?? 'text/plain;charset=utf-8',
    });
    this.flushOutbox();
    return accepted;
  }

  /** Edits one of the room's messages; needs a connection (rejects with CLIENT_OFFLINE otherwise). */
  async edit(roomId: string, targetSeq: number, body: string): Promise<void> {
    await this.request(destinations.editSend(roomId), body, { 'x-target-seq': String(targetSeq) });
  }

  async delete(roomId: string, targetSeq: number): Promise<void> {
    await this.request(destinations.deleteSend(roomId), '', { 'x-target-seq': String(targetSeq) });
  }

  /** Reports this user has read the room up to `seq`; emits `read` once the server took it. */
  async markRead(roomId: string, seq: number): Promise<void> {
    await this.request(destinations.readSend(roomId), JSON.stringify({ seq }), { 'content-type': 'application/json' });
    this.emit('read', { roomId, seq });
  }

  /** Tells the room this user is typing (or stopped); best effort, dropped while offline. */
  typing(roomId: string, typing = true): void {
    if (!this.link?.connected) return;
    const body = typing ? '' : JSON.stringify({ typing: false });
    this.request(destinations.typingSend(roomId), body, {}).catch(() => {});
  }

  /**
   * Ends the client: closes the connection, clears every timer, and rejects what is still in the
   * outbox with CLIENT_CLOSED. With `logout`, also revokes the refresh token on the server.
   */
  async close(options: { logout?: boolean } = {}): Promise<void> {
    await this.shutdown(undefined);
    if (options.logout) {
      await new RestApi(trimSlash(this.options.url), this.options.fetch).logout(this.tokens.current.refreshToken);
    }
  }

  private async shutdown(reason: ChatError | undefined): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.timers.clearAll();
    this.removeNetworkListeners();
    for (const feed of this.feeds.values()) feed.close();
    const link = this.link;
    link?.close();
    this.outbox.rejectAll(new ChatError('CLIENT_CLOSED', 'the client was closed before the server acknowledged'));
    this.setState({ state: 'closed', ...(reason ? { reason } : {}) });
    this.removeAllListeners();
    if (link !== undefined) await link.ended;
  }

  private async openLink(): Promise<void> {
    this.cancelRetry = undefined;
    if (this.closed) return;
    this.setState({ state: this.everOnline ? 'reconnecting' : 'connecting' });
    let accessToken: string;
    try {
      accessToken = await this.tokens.accessToken();
    } catch (error) {
      this.linkEnded(false, { error: asChatError(error) });
      return;
    }
    if (this.closed) return;
    const generation = ++this.connection;
    let connected = false;
    const link = new StompLink({
      url: this.nextWsUrl(),
      accessToken,
      webSocket: this.webSocketClass(),
      heartbeatMs: this.options.heartbeatMs ?? 10_000,
      connectTimeoutMs: this.options.connectTimeoutMs ?? 10_000,
      onConnected: (frame) => {
        connected = true;
        this.connected(link, generation, frame);
      },
      onErrorFrame: (error) => this.errorFrame(error),
    });
    this.link = link;
    const end = await link.ended;
    if (this.link === link) this.link = undefined;
    this.linkEnded(connected, end);
  }

  private connected(link: StompLink, generation: number, frame: IFrame): void {
    if (this.closed || this.link !== link) return;
    this.attempt = 0;
    this.everOnline = true;
    this.connectionSessionId = frame.headers['session'];
    for (const feed of this.feeds.values()) this.subscribeRoom(link, feed);
    this.setState({ state: 'online' });
    this.scheduleRenewal();
    if (generation === this.connection) this.flushOutbox();
  }

  private linkEnded(wasConnected: boolean, end: LinkEnd): void {
    this.cancelRenewal?.();
    this.cancelRenewal = undefined;
    if (this.closed) return;
    const error = end.error;
    if (error !== undefined && isFatalSessionError(error.code)) {
      this.emit('error', error);
      void this.shutdown(error);
      return;
    }
    if (!wasConnected) this.attempt++;
    const delay =
      error?.code === 'AUTH_EXPIRED'
        ? 0 // the next attempt refreshes the token first
        : reconnectDelayMs(
            { attempt: Math.max(0, this.attempt - 1), hintMs: error?.reconnectAfterMs, closeCode: end.closeCode },
            this.backoff,
            this.options.random ?? Math.random,
          );
    if (error?.code === 'AUTH_EXPIRED') this.tokens.refresh().catch(() => {});
    this.setState({ state: 'reconnecting', retryInMs: delay, ...(error ? { reason: error } : {}) });
    this.cancelRetry = this.timers.after(delay, () => void this.openLink());
  }

  /** An ERROR frame: routed to the room or request it names; the link then ends and we reconnect. */
  private errorFrame(error: ChatError): void {
    const headers = error.details.headers ?? {};
    const receiptId = headers['receipt-id'] ?? '';
    const room =
      roomOfSubscription(headers['subscription']) ?? (receiptId.startsWith('s:') ? receiptId.slice(2) : undefined);
    if (room !== undefined && error.code === 'AUTH_FORBIDDEN') {
      this.feeds.get(room)?.close();
      this.feeds.delete(room);
    }
    if (receiptId.startsWith('m:')) {
      if (isPermanentSendError(error.code)) this.outbox.refused(receiptId.slice(2), error);
      return;
    }
    if (receiptId.startsWith('op:')) return; // the request's own promise rejects with it
    if (error.code !== 'SERVER_DRAINING') this.emit('error', error);
  }

  private subscribeRoom(link: StompLink, feed: RoomFeed): void {
    const roomId = feed.roomId;
    const since: Record<string, string> = feed.lastSeq === undefined ? {} : { 'x-since-seq': String(feed.lastSeq) };
    const onSequenced = (frame: IMessage) => {
      const item = feedItemFromFrame(roomId, frame);
      if (item !== undefined) feed.push(item);
    };
    const onEphemeral = (frame: IMessage) => {
      const event = ephemeralEvent(frame);
      if (event === undefined) return;
      if ('typing' in event) this.emit('typing', event);
      else this.emit('presence', event);
    };
    this.roomSubscriptions.set(roomId, [
      link.subscribe(destinations.roomTopic(roomId), onSequenced, {
        id: `r:${roomId}`,
        receipt: `s:${roomId}`,
        ...since,
      }),
      link.subscribe(destinations.typingTopic(roomId), onEphemeral, { id: `t:${roomId}` }),
      link.subscribe(destinations.presenceTopic(roomId), onEphemeral, { id: `p:${roomId}` }),
    ]);
  }

  /** Writes what the outbox holds to the current connection, a window at a time, oldest first. */
  private flushOutbox(): void {
    const link = this.link;
    if (link === undefined || !link.connected) return;
    const generation = this.connection;
    const room = (this.options.sendWindow ?? 32) - this.outbox.inFlightOn(generation);
    for (const entry of this.outbox.unsentOn(generation, Math.max(0, room))) {
      entry.sentOn = generation;
      const headers = { 'content-type': entry.contentType, 'x-client-msg-id': entry.clientMsgId };
      link.request(destinations.roomSend(entry.roomId), entry.body, headers, `m:${entry.clientMsgId}`).then(
        () => {
          this.outbox.acknowledged(entry.clientMsgId);
          this.flushOutbox();
        },
        // Refusals for good were handled with the ERROR frame; anything else is sent again on the next connection.
        () => {},
      );
    }
  }

  private request(destination: string, body: string, headers: Record<string, string>): Promise<IFrame> {
    if (this.closed) return Promise.reject(new ChatError('CLIENT_CLOSED', 'the client was closed'));
    if (this.link === undefined) return Promise.reject(new ChatError('CLIENT_OFFLINE', 'not connected'));
    return this.link.request(destination, body, headers, `op:${++this.requestCounter}`);
  }

  private scheduleRenewal(): void {
    this.cancelRenewal?.();
    const delay = this.tokens.renewDueAt - Date.now();
    this.cancelRenewal = this.timers.after(delay, () => {
      this.tokens.refresh().catch((error: unknown) => {
        const reason = asChatError(error);
        if (isFatalSessionError(reason.code) || reason.code === 'AUTH_EXPIRED') {
          this.emit('error', reason);
          void this.shutdown(reason);
          return;
        }
        // Network trouble: try again while the current token is still good.
        if (Date.now() + RENEW_RETRY_MS < this.tokens.accessExpiresAt) {
          this.cancelRenewal = this.timers.after(RENEW_RETRY_MS, () => this.scheduleRenewal());
        }
      });
    });
  }

  /** A new access token (from the renewal timer or a REST retry): hand it to the live session. */
  private tokensChanged(): void {
    const link = this.link;
    if (this.closed || link === undefined || !link.connected) return;
    const authorization = `Bearer ${this.tokens.current.accessToken}`;
    this.request(destinations.sessionRenew, '', { authorization }).then(
      () => this.scheduleRenewal(),
      (error: unknown) => this.emit('error', asChatError(error)),
    );
  }

  private async readRange(roomId: string, afterSeq: number, beforeSeq: number): Promise<FeedItem[]> {
    const items: FeedItem[] = [];
    let before: number | null = beforeSeq;
    while (before !== null && before > afterSeq + 1) {
      const page = await this.api.history(roomId, { after: afterSeq, before, limit: HISTORY_FILL_PAGE });
      items.push(...page.messages.map((item) => feedItemFromHistory(roomId, item)));
      if (page.messages.length === 0) break;
      before = page.nextBefore;
    }
    return items;
  }

  private setState(event: ChatEvents['state']): void {
    if (this.currentState === 'closed' && event.state !== 'closed') return;
    this.currentState = event.state;
    this.emit('state', event);
  }

  private nextWsUrl(): string {
    const wsUrl = this.options.wsUrl;
    if (typeof wsUrl === 'function') return wsUrl();
    if (wsUrl !== undefined) return wsUrl;
    return `${trimSlash(this.options.url).replace(/^http/, 'ws')}/ws`;
  }

  private webSocketClass(): WebSocketClass {
    const found = this.options.webSocket ?? (globalThis as { WebSocket?: WebSocketClass }).WebSocket;
    if (found === undefined)
      throw new ChatError('CLIENT_NETWORK', 'no WebSocket here: pass options.webSocket (e.g. ws)');
    return found;
  }

  /** In a browser: drop the connection when it goes offline, and reconnect at once when it is back. */
  private watchBrowserNetwork(): () => void {
    const target = globalThis as unknown as {
      addEventListener?: (name: string, listener: () => void) => void;
      removeEventListener?: (name: string, listener: () => void) => void;
    };
    if (typeof target.addEventListener !== 'function' || typeof target.removeEventListener !== 'function') {
      return () => {};
    }
    const offline = () => this.link?.close();
    const online = () => {
      if (this.cancelRetry === undefined) return;
      this.cancelRetry();
      void this.openLink();
    };
    target.addEventListener('offline', offline);
    target.addEventListener('online', online);
    return () => {
      target.removeEventListener?.('offline', offline);
      target.removeEventListener?.('online', online);
    };
  }
}

function roomOfSubscription(id: string | undefined): string | undefined {
  return id !== undefined && /^[rtp]:/.test(id) ? id.slice(2) : undefined;
}

function asChatError(error: unknown): ChatError {
  return error instanceof ChatError ? error : new ChatError('CLIENT_NETWORK', String(error), { cause: error });
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
