import {
  type ArgumentMetadata,
  ValidationPipe,
  type ValidationError,
  type ValidationPipeOptions,
} from '@nestjs/common';
import { classToPlain, plainToInstance } from 'class-transformer';
import { AppError } from '../errors/app-error.js';
import { exceedsJsonDepth } from './json-depth.js';
import { ValidationFailedError, type FieldViolation } from './validation-failed.error.js';
import { validatorPackage } from './validators.js';

/**
 * The global pipe for DTOs: unknown fields are refused (not silently dropped, so a typo
 * in a field name is visible), values are converted to the DTO's types, and failures
 * become ValidationFailedError, which the filter renders as VALIDATION_FAILED with details.
 */
export function createValidationPipe(
  maxJsonDepth = DEFAULT_MAX_JSON_DEPTH,
  extra: ValidationPipeOptions = {},
): ValidationPipe {
  return new DepthBoundValidationPipe(maxJsonDepth, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    // Never echo submitted values (passwords) back in error details.
    validationError: { target: false, value: false },
    exceptionFactory: (errors: ValidationError[]) => new ValidationFailedError(flatten(errors)),
    // Not the package's index, which loads every validator it has (validators.ts says why).
    validatorPackage,
    // Given, not left to the pipe's own import('class-transformer'): in the bundle
    // (app/build-bundle.mjs) that import of a CommonJS package yields only its default export.
    transformerPackage: { plainToInstance, classToPlain },
    ...extra,
  });
}

/** The API's bodies nest two or three levels; the default leaves room and stops hostile bodies. */
export const DEFAULT_MAX_JSON_DEPTH = 32;

/** Refuses a body nested deeper than the bound before class-transformer walks it (recursively). */
class DepthBoundValidationPipe extends ValidationPipe {
  constructor(
    private readonly maxJsonDepth: number,
    options: ConstructorParameters<typeof ValidationPipe>[0],
  ) {
    super(options);
  }

  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (exceedsJsonDepth(value, this.maxJsonDepth)) {
      throw new AppError('JSON_TOO_DEEP', `request body nests deeper than ${this.maxJsonDepth} levels`);
    }
    return super.transform(value, metadata);
  }
}

function flatten(errors: readonly ValidationError[], parent = ''): FieldViolation[] {
  return errors.flatMap((error) => {
    const field = parent === '' ? error.property : `${parent}.${error.property}`;
    const own: FieldViolation[] = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
