import { ValidationPipe, type ValidationError, type ValidationPipeOptions } from '@nestjs/common';
import { ValidationFailedError, type FieldViolation } from './validation-failed.error.js';

/**
 * The global pipe for DTOs: unknown fields are refused (not silently dropped, so a typo
 * in a field name is visible), values are converted to the DTO's types, and failures
 * become ValidationFailedError, which the filter renders as VALIDATION_FAILED with details.
 */
export function createValidationPipe(extra: ValidationPipeOptions = {}): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    // Never echo submitted values (passwords) back in error details.
    validationError: { target: false, value: false },
    exceptionFactory: (errors: ValidationError[]) => new ValidationFailedError(flatten(errors)),
    ...extra,
  });
}

function flatten(errors: readonly ValidationError[], parent = ''): FieldViolation[] {
  return errors.flatMap((error) => {
    const field = parent === '' ? error.property : `${parent}.${error.property}`;
    const own: FieldViolation[] = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
