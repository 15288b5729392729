/** The two durations every PresenceRegistry implementation works with. */
export interface PresenceTiming {
  /** An instance is alive for this long after its last heartbeat. */
  readonly ttlMs: number;
  /** A user is offline once they have had no live session for this long. */
  readonly offlineGraceMs: number;
}
