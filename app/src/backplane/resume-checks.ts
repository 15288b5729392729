/**
 * Runs every resume check registered through Backplane.beforeResume and settles once all have:
 * a failed check is reported, never thrown, so one failing check holds back no delivery forever.
 */
export async function settleResumeChecks(
  checks: ReadonlyArray<() => Promise<void>>,
  report: (error: unknown) => void,
): Promise<void> {
  const outcomes = await Promise.allSettled(checks.map((check) => check()));
  for (const outcome of outcomes) {
    if (outcome.status === 'rejected') report(outcome.reason);
  }
}
