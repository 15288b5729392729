/**
 * The promise's outcome if it settles within `ms`, else a rejection with `onTimeout()`. The work
 * itself is not cancelled (a query keeps running in its pool); the caller just stops waiting,
 * which is what keeps a hanging dependency from holding a session's later frames.
 */
export async function withinTime<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
