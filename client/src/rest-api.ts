import { ChatError, type ChatErrorCode } from './errors.js';

/** What POST /auth/login and /auth/refresh return. */
export interface TokenPair {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** Access token lifetime in seconds. */
  readonly expiresIn: number;
  readonly refreshExpiresIn: number;
}

export interface User {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
}

export interface Room {
  readonly id: string;
  readonly kind: 'public' | 'private' | 'direct';
  readonly name: string | null;
  readonly topic: string | null;
  readonly role: 'owner' | 'admin' | 'member' | null;
  /** Only in the caller's own list (GET /rooms). */
  readonly lastReadSeq?: number;
  readonly unreadCount?: number;
}

/** One item of GET /rooms/{id}/messages (newest first). */
export interface HistoryItem {
  readonly id: string;
  readonly seq: number;
  readonly kind: 'message' | 'edit' | 'delete';
  readonly targetSeq: number | null;
  readonly senderId: string;
  readonly sender: string;
  readonly contentType: string;
  readonly body: string;
  readonly encoding?: 'base64';
  readonly clientMsgId: string | null;
  readonly createdAt: string;
  readonly editedAt: string | null;
  readonly deletedAt: string | null;
}

export interface HistoryPage {
  readonly messages: readonly HistoryItem[];
  /** Pass as `before` for the next older page; null at the start (or at `after`). */
  readonly nextBefore: number | null;
}

export interface HistoryQuery {
  readonly before?: number;
  readonly after?: number;
  readonly limit?: number;
}

/** Gives the current access token; `refresh` asks for a new one after a 401 AUTH_EXPIRED. */
export interface AccessTokenSource {
  accessToken(): Promise<string>;
  refreshAfterExpiry(): Promise<void>;
}

/**
 * The REST API as the SDK uses it. Every failure is a ChatError with the server's code and the
 * HTTP status; a network failure is CLIENT_NETWORK.
 */
export class RestApi {
  constructor(
    readonly baseUrl: string,
    private readonly fetchImpl: typeof fetch = (input, init) => globalThis.fetch(input, init),
  ) {}

  register(username: string, password: string, displayName?: string): Promise<User> {
    return this.call('POST', '/auth/register', { username, password, ...(displayName ? { displayName } : {}) });
  }

  login(username: string, password: string): Promise<TokenPair> {
    return this.call('POST', '/auth/login', { username, password });
  }

  refresh(refreshToken: string): Promise<TokenPair> {
    return this.call('POST', '/auth/refresh', { refreshToken });
  }

  logout(refreshToken: string): Promise<void> {
    return this.call('POST', '/auth/logout', { refreshToken });
  }

  /** The same API with a bearer token on every call, refreshed once on AUTH_EXPIRED. */
  authorized(tokens: AccessTokenSource): AuthorizedApi {
    return new AuthorizedApi(this, tokens);
  }

  async call<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}${path}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new ChatError('CLIENT_NETWORK', `${method} ${path}: ${(error as Error).message}`, { cause: error });
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      throw new ChatError('CLIENT_BAD_REPLY', `${method} ${path}: HTTP ${response.status}, not JSON`, {
        status: response.status,
      });
    }
    if (response.ok) return parsed as T;
    const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ChatError(
      (error?.code ?? 'INTERNAL') as ChatErrorCode,
      error?.message ?? `${method} ${path}: HTTP ${response.status}`,
      { status: response.status },
    );
  }
}

/** REST calls made as the logged-in user. */
export class AuthorizedApi {
  constructor(
    private readonly rest: RestApi,
    private readonly tokens: AccessTokenSource,
  ) {}

  me(): Promise<User> {
    return this.call('GET', '/me');
  }

  async rooms(): Promise<Room[]> {
    return this.call('GET', '/rooms');
  }

  createRoom(name: string, kind: 'public' | 'private' = 'private'): Promise<Room> {
    return this.call('POST', '/rooms', { kind, name });
  }

  addMember(roomId: string, username: string): Promise<unknown> {
    return this.call('POST', `/rooms/${encodeURIComponent(roomId)}/members`, { username });
  }

  directRoom(username: string): Promise<Room> {
    return this.call('POST', '/rooms/direct', { username });
  }

  history(roomId: string, query: HistoryQuery = {}): Promise<HistoryPage> {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value));
    const search = params.size === 0 ? '' : `?${params}`;
    return this.call('GET', `/rooms/${encodeURIComponent(roomId)}/messages${search}`);
  }

  presence(roomId: string): Promise<{ roomId: string; online: User[] }> {
    return this.call('GET', `/rooms/${encodeURIComponent(roomId)}/presence`);
  }

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    try {
      return await this.rest.call<T>(method, path, body, await this.tokens.accessToken());
    } catch (error) {
      if (!(error instanceof ChatError) || error.code !== 'AUTH_EXPIRED') throw error;
      await this.tokens.refreshAfterExpiry();
      return this.rest.call<T>(method, path, body, await this.tokens.accessToken());
    }
  }
}
