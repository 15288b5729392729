import { endFanOut, startFanOut } from '../../app/src/streams/tick-cork.js';

/** Resolves on the next process tick, after the current tick's held writes were released. */
export const nextTick = (): Promise<void> => new Promise<void>((resolve) => process.nextTick(resolve));

/**
 * Ends the current tick as one with a single (empty) fan-out, so the next tick's first fan-out
 * starts from a quiet history (startFanOut's write-through rule looks at the tick before).
 */
export async function quietTick(): Promise<void> {
  startFanOut(0);
  endFanOut();
  await nextTick();
}
