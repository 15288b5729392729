/** The parts of a V8 .cpuprofile (as written by `node --cpu-prof`) that the summary needs. */
export interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
    readonly children?: readonly number[];
  }[];
  readonly samples: readonly number[];
  /** Microseconds between consecutive samples. */
  readonly timeDeltas: readonly number[];
}

export interface HotFunction {
  readonly name: string;
  readonly location: string;
  readonly selfMs: number;
  /** Share of sampled time, excluding '(idle)', in percent. */
  readonly selfPct: number;
  readonly totalMs: number;
  readonly totalPct: number;
}

/**
 * The part of a profile to rank, in µs since its first sample: e.g. only the measurement window,
 * so start-up (module loading, JIT) and teardown do not crowd out the hot path.
 */
export interface ProfileWindow {
  readonly fromUs: number;
  readonly toUs: number;
}

/**
 * Ranks functions by self time, merging every call site of the same function. Each sample
 * is credited with the interval until the next sample (DevTools' convention); idle time is
 * left out so percentages are of CPU actually spent.
 */
export function hotFunctions(
  profile: CpuProfile,
  limit: number,
  shortenUrl: (url: string) => string = (url) => url,
  window?: ProfileWindow,
): HotFunction[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const keyOf = (id: number): string => {
    const frame = byId.get(id)!.callFrame;
    return `${frame.functionName || '(anonymous)'}\u0000${frame.url ? `${shortenUrl(frame.url)}:${frame.lineNumber + 1}` : ''}`;
  };

  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let busy = 0;
  let elapsedUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    elapsedUs += profile.timeDeltas[i] ?? 0;
    if (window && (elapsedUs < window.fromUs || elapsedUs >= window.toUs)) continue;
    const id = profile.samples[i]!;
    const node = byId.get(id);
    if (!node || node.callFrame.functionName === '(idle)') continue;
    const us = profile.timeDeltas[i + 1] ?? 0;
    busy += us;
    const key = keyOf(id);
    self.set(key, (self.get(key) ?? 0) + us);
    // Inclusive time: every distinct function on the stack, counted once even under recursion.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const stackKey = keyOf(at);
      if (seen.has(stackKey)) continue;
      seen.add(stackKey);
      total.set(stackKey, (total.get(stackKey) ?? 0) + us);
    }
  }

  const pct = (us: number): number => (busy === 0 ? 0 : (us * 100) / busy);
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([key, selfUs]) => {
      const [name, location] = key.split('\u0000') as [string, string];
      const totalUs = total.get(key) ?? selfUs;
      return {
        name,
        location,
        selfMs: selfUs / 1000,
        selfPct: pct(selfUs),
        totalMs: totalUs / 1000,
        totalPct: pct(totalUs),
      };
    });
}
