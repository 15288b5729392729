import { setFlagsFromString } from 'node:v8';

/**
 * V8's own growth factor for the young generation (`node --v8-options` lists it; the unit test
 * checks that this is still the default).
 */
export const V8_SEMI_SPACE_GROWTH_FACTOR = 2;

/**
 * Keeps V8's young generation at its initial size while the service loads, and returns the
 * function that lets it grow again (call it once the service listens).
 *
 * Why: loading the service (several thousand modules, Nest's metadata) keeps most of what it
 * allocates, and V8 grows the young generation on survival, so start-up alone takes it to its
 * maximum (two 16 MiB semi-spaces) with a few MiB in use. V8 gives that back only once its memory
 * reducer sees the process idle, 10–30 s later, so a freshly started task holds ~30 MiB more than
 * it needs. Held here, what survives a scavenge during start-up is promoted at once instead (most
 * of it lives as long as the process; the rest waits for a full GC in the old generation, which
 * the benchmark's idle figure may show as a few MiB); released at listen, the young generation
 * grows under real traffic as usual.
 * Measured in docs/benchmarks.md ("Baseline memory").
 *
 * The factor is read by V8 each time it considers growing, so changing it after start takes
 * effect; it must be held before the service's modules load, which is why main.ts imports the
 * rest of the service only after calling this.
 */
export function holdYoungGeneration(): () => void {
  setFlagsFromString('--semi-space-growth-factor=1');
  let released = false;
  return () => {
    if (released) return;
    released = true;
    setFlagsFromString(`--semi-space-growth-factor=${V8_SEMI_SPACE_GROWTH_FACTOR}`);
  };
}
