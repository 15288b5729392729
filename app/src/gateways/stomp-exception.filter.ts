import { type ArgumentsHost, Catch, HttpException, type WsExceptionFilter } from '@nestjs/common';
import { WsException } from '@nestjs/websockets';
import { AppError } from '../errors/app-error.js';
import type { ErrorCode } from '../errors/error-codes.js';

/**
 * Turns whatever a gateway method, guard or pipe threw into the AppError the session sends
 * as its ERROR frame (stable code; the session then closes, as STOMP requires). Nest's WS
 * proxy would swallow the error after the filter, so the filter hands it on by throwing:
 * the session must know the handler failed, to send ERROR instead of RECEIPT. Errors that
 * are not ours pass unchanged; the session reports them as INTERNAL and logs them.
 */
@Catch()
export class StompExceptionFilter implements WsExceptionFilter {
  catch(exception: unknown, _host: ArgumentsHost): never {
    throw toAppError(exception);
  }
}

const CODE_BY_STATUS: Readonly<Record<number, ErrorCode>> = {
  400: 'VALIDATION_FAILED',
  401: 'AUTH_REQUIRED',
  403: 'AUTH_FORBIDDEN',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
};

export function toAppError(exception: unknown): unknown {
  if (exception instanceof AppError) return exception;
  // What Nest throws when a guard returns false.
  if (exception instanceof WsException) return new AppError('AUTH_FORBIDDEN', exception.message);
  // Nest's built-in pipes (ParseIntPipe, ParseUUIDPipe, …) throw HTTP exceptions.
  if (exception instanceof HttpException) {
    const code = CODE_BY_STATUS[exception.getStatus()];
    if (code !== undefined) return new AppError(code, exception.message);
  }
  return exception;
}
