import { Logger } from '@nestjs/common';
import { AppError } from '../errors/app-error.js';

const logger = new Logger('Revocations');

/**
 * Runs a change whose revocation commits in the same transaction. When the database fails, the
 * change did not happen either, and the caller learns that (503 REVOCATION_UNAVAILABLE) instead
 * of a success that live sessions would never hear about. Domain errors pass through.
 */
export async function revokingChange<T>(what: string, change: () => Promise<T>): Promise<T> {
  try {
    return await change();
  } catch (error) {
    if (error instanceof AppError) throw error;
    logger.error(`${what} failed, nothing changed: ${(error as Error).message}`);
    throw new AppError('REVOCATION_UNAVAILABLE', `${what} could not be stored; nothing changed, retry`);
  }
}
