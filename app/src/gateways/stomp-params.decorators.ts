import { createParamDecorator, type ExecutionContext, type PipeTransform, type Type } from '@nestjs/common';
import { AppError } from '../errors/app-error.js';
import { createValidationPipe, DEFAULT_MAX_JSON_DEPTH } from '../http/validation.pipe.js';
import type { AppSendContext } from '../realtime/app-destinations.js';
import type { Principal } from '../realtime/auth/principal.js';

type Pipe = PipeTransform | Type<PipeTransform>;

/** The frame's context as the session resolved it; guards read it the same way. */
export function stompMessageOf(context: ExecutionContext): AppSendContext {
  return context.switchToWs().getData<AppSendContext>();
}

/** The whole SEND or SUBSCRIBE: principal, destination, params, headers, body. */
export const StompMessage = createParamDecorator((_data: unknown, context: ExecutionContext): AppSendContext =>
  stompMessageOf(context),
);

/** Who sent the frame (as of CONNECT or the last renewal). */
export const SessionPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => stompMessageOf(context).principal,
);

const destinationParam = createParamDecorator(
  (name: string, context: ExecutionContext): string => stompMessageOf(context).params[name]!,
);

/** A `{name}` placeholder of the matched destination pattern, through any pipes given. */
export const DestinationParam = (name: string, ...pipes: Pipe[]): ParameterDecorator =>
  destinationParam(name, ...pipes);

const header = createParamDecorator((name: string, context: ExecutionContext): string | undefined =>
  stompMessageOf(context).headers.get(name),
);

/** One header of the frame (undefined when absent), through any pipes given. */
export const StompHeader = (name: string, ...pipes: Pipe[]): ParameterDecorator => header(name, ...pipes);

const jsonBody = createParamDecorator((_data: unknown, context: ExecutionContext): unknown => {
  const body = stompMessageOf(context).body;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw new AppError('VALIDATION_FAILED', 'the body must be JSON');
  }
});

// The REST rules (unknown fields refused, values converted, VALIDATION_FAILED with details),
// also for this custom decorator, which Nest's ValidationPipe skips unless told otherwise.
const bodyValidation = createValidationPipe(DEFAULT_MAX_JSON_DEPTH, { validateCustomDecorators: true });

/** The JSON body, validated against the parameter's DTO class by ValidationPipe. */
export const JsonBody = (): ParameterDecorator => jsonBody(undefined, bodyValidation);
