import { expect } from '@jest/globals';
import { AppError } from '../../app/src/errors/app-error.js';

/** Awaits a promise that must reject with an AppError, and returns that error for its code. */
export async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected a rejection');
}
