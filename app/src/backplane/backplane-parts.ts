import type { Backplane } from './backplane.port.js';
import type { PersistQueue } from './persist-queue.port.js';

/** The backplane and its persist queue are made together: locally, one feeds the other. */
export interface BackplaneParts {
  readonly backplane: Backplane;
  readonly persistQueue: PersistQueue;
}

/** Where the backplanes report connection trouble (a warning: they reconnect by themselves). */
export type BackplaneErrorSink = (message: string, error?: unknown) => void;
