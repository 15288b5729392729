/**
 * What the graceful drain and the connection metric need from the realtime layer: its live
 * sessions and its door. The realtime module provides it, so ops never imports realtime.
 */
export interface DrainableSessions<Session = unknown> {
  readonly connectionCount: number;
  openSessions(): readonly Session[];
  /** Refuses new WebSockets from now on; existing sessions keep running. */
  stopAccepting(): void;
  /** Ends these sessions with a "server is restarting" error carrying the reconnect hint. */
  closeSessions(sessions: readonly Session[], reconnectAfterMs: (session: Session) => number): void;
}

/** Nest injection token for the DrainableSessions. */
export const DRAINABLE_SESSIONS = Symbol('DrainableSessions');
