import { describe, expect, it } from '@jest/globals';
import {
  BadRequestException,
  HttpException,
  Logger,
  NotFoundException,
  PayloadTooLargeException,
} from '@nestjs/common';
import { AppError } from '../../../app/src/errors/app-error.js';
import { AppErrorFilter } from '../../../app/src/http/app-error.filter.js';
import { ValidationFailedError } from '../../../app/src/http/validation-failed.error.js';

describe('AppErrorFilter', () => {
  Logger.overrideLogger(false);
  const filter = new AppErrorFilter();

  it.each<[string, unknown, number, object]>([
    [
      'an AppError, with its details',
      new AppError('LIMIT_SEND_RATE', 'slow down', { retryAfterMs: 500 }),
      429,
      { code: 'LIMIT_SEND_RATE', message: 'slow down', retryAfterMs: 500 },
    ],
    [
      'an AppError whose details try to override the code',
      new AppError('ROOM_NOT_FOUND', 'room not found', { code: 'INTERNAL' }),
      404,
      { code: 'ROOM_NOT_FOUND', message: 'room not found' },
    ],
    [
      'a validation failure',
      new ValidationFailedError([{ field: 'name', messages: ['name must be shorter'] }]),
      400,
      {
        code: 'VALIDATION_FAILED',
        message: 'name must be shorter',
        details: [{ field: 'name', messages: ['name must be shorter'] }],
      },
    ],
    [
      "Nest's 404 for an unknown route",
      new NotFoundException('Cannot GET /nope'),
      404,
      { code: 'NOT_FOUND', message: 'Cannot GET /nope' },
    ],
    [
      'a 413 from the body parser',
      new PayloadTooLargeException('request entity too large'),
      413,
      { code: 'PAYLOAD_TOO_LARGE', message: 'request entity too large' },
    ],
    ['another 4xx', new HttpException('I am a teapot', 418), 418, { code: 'BAD_REQUEST', message: 'I am a teapot' }],
    [
      'a 400 with a list of messages',
      new BadRequestException(['a is bad', 'b is bad']),
      400,
      { code: 'BAD_REQUEST', message: 'a is bad; b is bad' },
    ],
    [
      'an unexpected error',
      new TypeError("Cannot read properties of undefined (reading 'password_hash')"),
      500,
      { code: 'INTERNAL', message: 'internal server error' },
    ],
    ['a thrown string', 'SELECT * FROM users failed', 500, { code: 'INTERNAL', message: 'internal server error' }],
    [
      'a 5xx HttpException',
      new HttpException('upstream db at 10.0.0.5 down', 503),
      500,
      { code: 'INTERNAL', message: 'internal server error' },
    ],
  ])('renders %s', (_name, exception, status, error) => {
    const rendered = filter.render(exception);
    expect(rendered.status).toBe(status);
    expect(rendered.body).toEqual({ error });
  });
});
