import type { Server } from 'node:http';
import type { Backplane } from '../backplane/backplane.port.js';
import type { AppConfig, ClientTopicsConfig } from '../config/app-config.js';
import { AppError } from '../errors/app-error.js';
import type { Authenticator } from './auth/authenticator.port.js';
import { DestinationRoutes } from './destination-routes.js';
import { LivenessTimer } from './liveness-timer.js';
import { NO_METRICS, type RealtimeContext, type RealtimeMetrics } from './realtime-context.js';
import type { Log } from '../ops/log.port.js';
import { SendDispatch } from './send-dispatch.js';
import { type ReservedHeaders, ServerOwnedHeaders } from './server-owned-headers.js';
import { SessionRegistry } from './session-registry.js';
import { StompEndpoint } from './stomp-endpoint.js';
import type { StompSession } from './stomp-session.js';
import { TopicFanout } from './topic-fanout.js';
import { UserNotifier } from './user-notifier.js';
import { UserRateLimiter } from './user-rate-limiter.js';

export interface RealtimeServerDeps {
  readonly config: AppConfig;
  readonly backplane: Backplane;
  readonly authenticator: Authenticator;
  readonly log: Log;
  /** The headers the domain stamps on MESSAGEs, which clients must not forge. */
  readonly reservedHeaders: ReservedHeaders;
  readonly metrics?: RealtimeMetrics;
  readonly onDelivered?: (count: number, publishedAt: number | undefined) => void;
}

/** Assembles the realtime layer of one instance and is the handle the rest of the app uses on it. */
export class RealtimeServer {
  readonly registry = new SessionRegistry<StompSession>();
  /** Declared destinations: the gateways add theirs at bootstrap, the config adds client topics. */
  readonly routes = new DestinationRoutes();
  readonly fanout: TopicFanout;
  /** Sends server-side events to every session of a user, on any instance. */
  readonly users: UserNotifier;
  readonly log: Log;
  private readonly endpoint: StompEndpoint;
  private readonly liveness: LivenessTimer;

  constructor(deps: RealtimeServerDeps) {
    this.log = deps.log;
    this.fanout = new TopicFanout(deps.backplane, deps.onDelivered);
    this.users = new UserNotifier(deps.backplane);
    const now = () => performance.now();
    const context: RealtimeContext = {
      config: deps.config.stomp,
      authenticator: deps.authenticator,
      backplane: deps.backplane,
      fanout: this.fanout,
      routes: this.routes,
      sends: new SendDispatch(
        this.routes,
        deps.backplane,
        new ServerOwnedHeaders(deps.reservedHeaders),
        deps.config.stomp.sendTimeoutMs,
      ),
      registry: this.registry,
      userSendLimiter: new UserRateLimiter(deps.config.stomp.userSendRatePerSecond, deps.config.stomp.userSendBurst),
      log: deps.log,
      metrics: deps.metrics ?? NO_METRICS,
      now,
    };
    declareClientTopics(this.routes, deps.config.stomp.clientTopics);
    this.endpoint = new StompEndpoint(context, deps.config.auth.allowedOrigins);
    this.liveness = new LivenessTimer(deps.config.stomp, () => this.registry.all(), now);
  }

  /** Starts taking WebSocket upgrades on `server` (the STOMP adapter calls this once). */
  attach(server: Server): void {
    this.endpoint.attach(server);
    this.liveness.start();
  }

  get connectionCount(): number {
    return this.registry.size;
  }

  get subscriptionCount(): number {
    let total = 0;
    for (const session of this.registry.all()) total += session.subscriptionCount;
    return total;
  }

  /** Ends every live session of a user on this instance (logout, revocation). */
  closeUserSessions(userId: string, error: AppError): void {
    for (const session of this.registry.forUser(userId)) session.terminate(error);
  }

  /** Ends a user's sessions that hold a subscription matching the predicate (lost access). */
  endUserSubscriptions(userId: string, matches: (destination: string) => boolean, error: AppError): void {
    for (const session of this.registry.forUser(userId)) session.endSubscriptionsWhere(matches, error);
  }

  /** Refuses new WebSockets from now on; existing sessions keep running. */
  stopAccepting(): void {
    this.endpoint.stopAccepting();
  }

  /** Closes every session with a SERVER_DRAINING error; the drain policy decides the pacing. */
  closeSessions(sessions: readonly StompSession[], reconnectAfterMs: (session: StompSession) => number): void {
    for (const session of sessions) {
      session.terminate(
        new AppError('SERVER_DRAINING', 'server is restarting; reconnect shortly', {
          'x-reconnect-after-ms': reconnectAfterMs(session),
        }),
      );
    }
  }

  close(): void {
    this.liveness.stop();
    this.endpoint.close();
    this.closeSessions([...this.registry.all()], () => 1_000);
  }
}

/** Topics a deployment opened to direct client SENDs: any connected user may send and subscribe. */
function declareClientTopics(routes: DestinationRoutes, config: ClientTopicsConfig): void {
  for (const pattern of config.patterns) {
    routes.clientTopic(pattern, {
      authorize: () => Promise.resolve(),
      maxBodyBytes: config.maxBodyBytes,
      ephemeral: config.ephemeral,
      publishOptions: { retentionMs: config.retentionMs },
    });
  }
}
