import { createRequire } from 'node:module';
import type * as ClassValidator from 'class-validator';

/**
 * The class-validator decorators the DTOs use, and what ValidationPipe needs of the package
 * (`validate`, `getMetadataStorage`), each loaded from its own file of the package instead of its
 * index.
 *
 * Why: the index loads every validator class-validator has, and with them libphonenumber-js's
 * metadata (for `IsPhoneNumber`, which the service never uses) and all of validator.js: about 290
 * modules and 3 MiB of heap (after a GC) in every process from start. The files required here are
 * the very ones the index re-exports (one module instance each), so a decorator from here and one
 * from the index are the same function and share class-validator's global metadata storage
 * (test/unit/http/validators.test.ts checks both). The package has no `exports` map, so these
 * paths are reachable, and its `cjs` build is what its `main` points at.
 */
const load = createRequire(import.meta.url);
const decorator = (folder: string, name: string): unknown =>
  (load(`class-validator/cjs/decorator/${folder}/${name}.js`) as Record<string, unknown>)[name];

export const IsInt = decorator('typechecker', 'IsInt') as typeof ClassValidator.IsInt;
export const IsString = decorator('typechecker', 'IsString') as typeof ClassValidator.IsString;
export const IsIn = decorator('common', 'IsIn') as typeof ClassValidator.IsIn;
export const IsOptional = decorator('common', 'IsOptional') as typeof ClassValidator.IsOptional;
export const ValidateIf = decorator('common', 'ValidateIf') as typeof ClassValidator.ValidateIf;
export const Max = decorator('number', 'Max') as typeof ClassValidator.Max;
export const Min = decorator('number', 'Min') as typeof ClassValidator.Min;
export const IsUUID = decorator('string', 'IsUUID') as typeof ClassValidator.IsUUID;
export const Length = decorator('string', 'Length') as typeof ClassValidator.Length;
export const Matches = decorator('string', 'Matches') as typeof ClassValidator.Matches;
export const MaxLength = decorator('string', 'MaxLength') as typeof ClassValidator.MaxLength;
export const MinLength = decorator('string', 'MinLength') as typeof ClassValidator.MinLength;

const { Validator } = load('class-validator/cjs/validation/Validator.js') as {
  Validator: new () => Pick<ClassValidator.Validator, 'validate'>;
};
const { getFromContainer } = load('class-validator/cjs/container.js') as Pick<
  typeof ClassValidator,
  'getFromContainer'
>;
const { getMetadataStorage } = load('class-validator/cjs/metadata/MetadataStorage.js') as Pick<
  typeof ClassValidator,
  'getMetadataStorage'
>;

/** ValidationPipe's `validatorPackage`: the two functions it calls, as the index defines them. */
export const validatorPackage = {
  validate: (object: object, options?: ClassValidator.ValidatorOptions) =>
    getFromContainer(Validator).validate(object, options),
  getMetadataStorage,
};
