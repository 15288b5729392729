import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { AppError } from '../errors/app-error.js';
import { ERROR_CODES, type ErrorCode } from '../errors/error-codes.js';
import { ValidationFailedError } from './validation-failed.error.js';

/** The parts of the HTTP response this filter uses (Express's, on platform-express). */
interface JsonResponse {
  readonly headersSent: boolean;
  status(code: number): JsonResponse;
  setHeader(name: string, value: string): unknown;
  json(body: unknown): unknown;
}

export interface ErrorBody {
  readonly error: { readonly code: ErrorCode; readonly message: string; readonly [detail: string]: unknown };
}

const CODE_BY_STATUS: Readonly<Record<number, ErrorCode>> = {
  400: 'BAD_REQUEST',
  401: 'AUTH_REQUIRED',
  403: 'AUTH_FORBIDDEN',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
};

/**
 * The one place where a failed HTTP request becomes a response:
 *   AppError       → ERROR_CODES[code].http, { error: { code, message, ...details } }
 *   validation     → 400, { error: { code: 'VALIDATION_FAILED', message, details: [{ field, messages }] } }
 *   HttpException  → its own status, with the matching code (Nest's 404 for unknown
 *                    routes, body-parser's 400/413, ...)
 *   anything else  → 500 INTERNAL with a generic message; the real error goes to the log.
 */
@Catch()
export class AppErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<JsonResponse>();
    const { status, body } = this.render(exception);
    if (response.headersSent) {
      this.logger.error(`error after the response started: ${body.error.message}`);
      return;
    }
    if (status === 401) {
      const invalid = body.error.code === 'AUTH_INVALID' || body.error.code === 'AUTH_EXPIRED';
      response.setHeader('WWW-Authenticate', invalid ? 'Bearer error="invalid_token"' : 'Bearer');
    }
    const retryAfter = body.error['retryAfterSeconds'];
    if ((status === 429 || status === 503) && typeof retryAfter === 'number') {
      response.setHeader('Retry-After', String(retryAfter));
    }
    response.status(status).json(body);
  }

  render(exception: unknown): { status: number; body: ErrorBody } {
    if (exception instanceof ValidationFailedError) {
      return {
        status: 400,
        body: { error: { code: exception.code, message: exception.message, details: exception.violations } },
      };
    }
    if (exception instanceof AppError) {
      const status = ERROR_CODES[exception.code].http;
      if (status >= 500) this.logger.error(`${exception.code}: ${exception.message}`, exception.stack);
      return { status, body: { error: { ...exception.details, code: exception.code, message: exception.message } } };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status < 500) {
        const code = CODE_BY_STATUS[status] ?? 'BAD_REQUEST';
        return { status, body: { error: { code, message: messageOf(exception) } } };
      }
    }
    // Unknown failures: the client learns only that it was not their fault.
    this.logger.error(`unhandled ${describe(exception)}`, (exception as Error | undefined)?.stack);
    return { status: 500, body: { error: { code: 'INTERNAL', message: 'internal server error' } } };
  }
}

function messageOf(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}

function describe(exception: unknown): string {
  return exception instanceof Error ? `${exception.name}: ${exception.message}` : String(exception);
}
