/** MongoDB's (and DocumentDB's) duplicate key error. */
export const DUPLICATE_KEY = 11000;

interface FailedWriteLike {
  readonly code?: unknown;
  /** MongoBulkWriteError: one entry per failed operation of the bulk write. */
  readonly writeErrors?: unknown;
  /** MongoBulkWriteError: the BulkWriteResult, which knows about a write concern error. */
  readonly result?: { getWriteConcernError?: () => unknown };
}

/**
 * True when a failed write failed only because documents already existed: every write error of
 * an unordered bulk write is a duplicate key, and no write concern error came with them.
 * Anything else (network, timeouts, validation, a write concern not met, which the driver
 * reports with no write errors) means the batch is not done and must be retried.
 */
export function onlyDuplicateKeys(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const failed = error as FailedWriteLike;
  const concern = failed.result?.getWriteConcernError?.();
  if (concern !== undefined && concern !== null) return false;
  if (failed.writeErrors === undefined || failed.writeErrors === null) return failed.code === DUPLICATE_KEY;
  const writeErrors = (Array.isArray(failed.writeErrors) ? failed.writeErrors : [failed.writeErrors]) as Array<{
    code?: unknown;
  }>;
  return writeErrors.length > 0 && writeErrors.every((writeError) => writeError.code === DUPLICATE_KEY);
}
