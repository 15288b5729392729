/** Something a test waits for: checked again every few milliseconds until it holds. */
export type Condition = () => boolean | Promise<boolean>;

/**
 * Resolves once `condition` holds; rejects after `timeoutMs`, so a test that waits for
 * something that never happens fails with a message instead of hanging until jest's timeout.
 */
export async function until(condition: Condition, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
