/**
 * Exit codes of `npm run loadtest` (documented in docs/loadtest.md). A pipeline stage
 * promotes on 0 and stops on anything else; 1 is the only "the target is too slow or
 * lossy" answer, the others say the test itself could not be carried out.
 */
export const EXIT = {
  /** Every `ensure` gate passed. */
  passed: 0,
  /** The run completed and at least one `ensure` gate failed (latency, error rate, gaps). */
  gateFailed: 1,
  /** Bad command line (unknown scenario, missing --target, bad number). */
  usage: 2,
  /** Seeding users and rooms over the target's REST API failed. */
  seedFailed: 3,
  /** Artillery could not run the scenario or wrote no results. */
  runFailed: 4,
} as const;

export class CliError extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
  }
}
