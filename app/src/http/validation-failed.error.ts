import { AppError } from '../errors/app-error.js';

/** One invalid field of a request: its path (e.g. `name` or `members.0.role`) and what is wrong. */
export interface FieldViolation {
  readonly field: string;
  readonly messages: readonly string[];
}

/** A request body, query or parameter that failed validation; listed field by field. */
export class ValidationFailedError extends AppError {
  constructor(readonly violations: readonly FieldViolation[]) {
    super('VALIDATION_FAILED', summary(violations));
    this.name = 'ValidationFailedError';
  }
}

function summary(violations: readonly FieldViolation[]): string {
  const first = violations[0]?.messages[0];
  if (first === undefined) return 'the request is invalid';
  const more = violations.reduce((count, v) => count + v.messages.length, 0) - 1;
  return more > 0 ? `${first} (and ${more} more)` : first;
}
