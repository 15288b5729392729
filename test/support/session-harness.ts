import { LocalBackplane } from '../../app/src/backplane/local-backplane.js';
import { loadConfig } from '../../app/src/config/load-config.js';
import { AppError } from '../../app/src/errors/app-error.js';
import type { AppSendContext } from '../../app/src/realtime/app-destinations.js';
import type { DestinationAuthorizer } from '../../app/src/realtime/auth/destination-authorizer.port.js';
import { DestinationRoutes, OWN_QUEUE } from '../../app/src/realtime/destination-routes.js';
import { DevAuthenticator } from '../../app/src/realtime/auth/dev-authenticator.js';
import { ROOM_RESERVED_HEADERS } from '../../app/src/messages/room-message-wire.js';
import { NO_METRICS, type RealtimeContext } from '../../app/src/realtime/realtime-context.js';
import { SendDispatch } from '../../app/src/realtime/send-dispatch.js';
import { ServerOwnedHeaders } from '../../app/src/realtime/server-owned-headers.js';
import { SessionRegistry } from '../../app/src/realtime/session-registry.js';
import { StompSession } from '../../app/src/realtime/stomp-session.js';
import { TopicFanout } from '../../app/src/realtime/topic-fanout.js';
import { UserRateLimiter } from '../../app/src/realtime/user-rate-limiter.js';
import type { StompCommand } from '../../app/src/stomp/frame.js';
import { encodeFrame } from '../../app/src/stomp/serializer.js';
import { FakeSessionSocket } from './fake-session-socket.js';

/** A Log that drops everything, for tests that do not look at logs. */
export const silentLog = { debug() {}, info() {}, warn() {}, error() {} };

/** Refuses destinations listed in `forbidden`, allows the rest. */
export class ListAuthorizer implements DestinationAuthorizer {
  readonly forbidden = new Set<string>();

  authorizeSubscribe(_principal: unknown, destination: string): Promise<void> {
    return this.check(destination);
  }

  authorizeSend(_principal: unknown, destination: string): Promise<void> {
    return this.check(destination);
  }

  private check(destination: string): Promise<void> {
    return this.forbidden.has(destination)
      ? Promise.reject(new AppError('AUTH_FORBIDDEN', `not allowed: ${destination}`))
      : Promise.resolve();
  }
}

/**
 * Sessions on fake sockets around real parts (codec, fan-out, in-process backplane, dev
 * authenticator) with a hand-driven clock: protocol behaviour without a network.
 */
export class SessionHarness {
  clock = 0;
  readonly authorizer = new ListAuthorizer();
  readonly backplane: LocalBackplane;
  readonly context: RealtimeContext;

  constructor(env: Record<string, string> = {}, logCapacity?: number) {
    this.backplane = new LocalBackplane(logCapacity);
    const config = loadConfig({ NODE_ENV: 'test', ...env });
    const registry = new SessionRegistry<StompSession>();
    // Protocol tests publish straight to any topic: declared open here, checked by the
    // list authorizer. User queues are their subscriber's own.
    const routes = new DestinationRoutes();
    routes.subscribe('/user/queue/**', OWN_QUEUE);
    routes.clientTopic('/topic/**', {
      authorize: (message: AppSendContext) =>
        message.command === 'SUBSCRIBE'
          ? this.authorizer.authorizeSubscribe(message.principal, message.destination)
          : this.authorizer.authorizeSend(message.principal, message.destination),
      publishOptions: {},
      maxBodyBytes: config.stomp.limits.maxBodyBytes,
      ephemeral: false,
    });
    this.context = {
      config: config.stomp,
      authenticator: new DevAuthenticator(),
      backplane: this.backplane,
      fanout: new TopicFanout(this.backplane),
      routes,
      sends: new SendDispatch(
        routes,
        this.backplane,
        new ServerOwnedHeaders(ROOM_RESERVED_HEADERS),
        config.stomp.sendTimeoutMs,
      ),
      registry,
      userSendLimiter: new UserRateLimiter(config.stomp.userSendRatePerSecond, config.stomp.userSendBurst),
      log: silentLog,
      metrics: NO_METRICS,
      now: () => this.clock,
    };
  }

  open(): { session: StompSession; socket: FakeSessionSocket } {
    const socket = new FakeSessionSocket();
    return { session: new StompSession(socket, this.context), socket };
  }

  /** Opens a session and completes CONNECT as `login`. */
  async connected(login = 'alice', headers: Array<[string, string]> = []): Promise<Client> {
    const { session, socket } = this.open();
    const client = new Client(session, socket);
    await client.send('CONNECT', [['accept-version', '1.2'], ['host', 'localhost'], ['login', login], ...headers]);
    if (socket.of('CONNECTED').length !== 1)
      throw new Error(`CONNECT failed: ${socket.last()?.headers.get('message')}`);
    return client;
  }
}

export class Client {
  constructor(
    readonly session: StompSession,
    readonly socket: FakeSessionSocket,
  ) {}

  /** Feeds one client frame and waits until the session has handled it. */
  async send(command: StompCommand, headers: Array<[string, string]>, body?: string | Buffer): Promise<void> {
    this.session.receive(encodeFrame(command, headers, body));
    await settle();
  }

  async raw(bytes: string | Buffer): Promise<void> {
    this.session.receive(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'utf8'));
    await settle();
  }

  /** The ERROR frame this client got, asserting the session was then closed. */
  get error(): { code: string | undefined; message: string | undefined; receiptId: string | undefined } {
    const frame = this.socket.of('ERROR')[0];
    return {
      code: frame?.headers.get('code'),
      message: frame?.headers.get('message'),
      receiptId: frame?.headers.get('receipt-id'),
    };
  }
}

/** Lets queued promise callbacks and immediates run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
}
