import type * as Swagger from '@nestjs/swagger';

/**
 * The OpenAPI decorators the controllers and DTOs use, with @nestjs/swagger's signatures, but
 * deferred: applying one only records it, and applyOpenApiDecorators() hands every record to
 * the real decorator when the document is first asked for (openapi.ts).
 *
 * Why: importing @nestjs/swagger loads it and es-toolkit's compat build (about 1,600 modules,
 * 7 MiB of heap) into every process at start-up, to serve a page most instances never serve.
 * The decorators only attach metadata to classes, which stays readable later, so applying them
 * on first use builds the same document.
 */
type DecoratorName =
  | 'ApiBearerAuth'
  | 'ApiConflictResponse'
  | 'ApiCreatedResponse'
  | 'ApiExcludeController'
  | 'ApiForbiddenResponse'
  | 'ApiNoContentResponse'
  | 'ApiNotFoundResponse'
  | 'ApiOkResponse'
  | 'ApiProperty'
  | 'ApiPropertyOptional'
  | 'ApiServiceUnavailableResponse'
  | 'ApiTags'
  | 'ApiTooManyRequestsResponse'
  | 'ApiUnauthorizedResponse';

/** Fits where a class, method or property decorator goes, as swagger's own decorators do. */
type AnyDecorator = (target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => void;

interface Application {
  readonly name: DecoratorName;
  readonly args: readonly unknown[];
  readonly target: object;
  readonly key: string | symbol | undefined;
  readonly descriptor: PropertyDescriptor | undefined;
}

// Filled while classes are defined (module loading), emptied by the first document build.
const pending: Application[] = [];

function deferred<N extends DecoratorName>(name: N): (...args: Parameters<(typeof Swagger)[N]>) => AnyDecorator {
  return (...args) =>
    (target, key, descriptor) => {
      pending.push({ name, args, target, key, descriptor });
    };
}

/** Applies every decorator recorded so far, in the order TypeScript applied them, with swagger's own. */
export function applyOpenApiDecorators(swagger: typeof Swagger): void {
  for (const { name, args, target, key, descriptor } of pending.splice(0)) {
    const decorate = (swagger[name] as (...decoratorArgs: unknown[]) => AnyDecorator)(...args);
    decorate(target, key, descriptor);
  }
}

export const ApiBearerAuth = deferred('ApiBearerAuth');
export const ApiConflictResponse = deferred('ApiConflictResponse');
export const ApiCreatedResponse = deferred('ApiCreatedResponse');
export const ApiExcludeController = deferred('ApiExcludeController');
export const ApiForbiddenResponse = deferred('ApiForbiddenResponse');
export const ApiNoContentResponse = deferred('ApiNoContentResponse');
export const ApiNotFoundResponse = deferred('ApiNotFoundResponse');
export const ApiOkResponse = deferred('ApiOkResponse');
export const ApiProperty = deferred('ApiProperty');
export const ApiPropertyOptional = deferred('ApiPropertyOptional');
export const ApiServiceUnavailableResponse = deferred('ApiServiceUnavailableResponse');
export const ApiTags = deferred('ApiTags');
export const ApiTooManyRequestsResponse = deferred('ApiTooManyRequestsResponse');
export const ApiUnauthorizedResponse = deferred('ApiUnauthorizedResponse');
