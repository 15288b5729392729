import type { Backplane } from '../backplane/backplane.port.js';
import type { StompConfig } from '../config/app-config.js';
import type { Authenticator } from './auth/authenticator.port.js';
import type { DestinationRoutes } from './destination-routes.js';
import type { Log } from '../ops/log.port.js';
import type { SendDispatch } from './send-dispatch.js';
import type { SessionRegistry } from './session-registry.js';
import type { TopicFanout } from './topic-fanout.js';
import type { UserRateLimiter } from './user-rate-limiter.js';

/** Counters the realtime layer reports; ops/ backs them with Prometheus. */
export interface RealtimeMetrics {
  frameIn(command: string): void;
  frameOut(command: string): void;
  error(code: string): void;
}

export const NO_METRICS: RealtimeMetrics = { frameIn() {}, frameOut() {}, error() {} };

/** Everything a session shares with its siblings on this instance. */
export interface RealtimeContext {
  readonly config: StompConfig;
  readonly authenticator: Authenticator;
  readonly backplane: Backplane;
  readonly fanout: TopicFanout;
  /** The declared destinations; nothing else exists. */
  readonly routes: DestinationRoutes;
  /** SEND routing, shared: resolves a SEND's destination once and carries it out. */
  readonly sends: SendDispatch;
  // Typed by what a session needs of its siblings, so this file does not import the session.
  readonly registry: SessionRegistry;
  readonly userSendLimiter: UserRateLimiter;
  readonly log: Log;
  readonly metrics: RealtimeMetrics;
  /** Monotonic milliseconds. */
  readonly now: () => number;
}
