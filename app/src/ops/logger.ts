import { pino, type Logger } from 'pino';
import type { AppConfig } from '../config/app-config.js';

/**
 * Structured JSON logs on stdout. Anything that could carry a credential is redacted by path,
 * as a second line of defence: code should never log tokens or passwords in the first place.
 */
export function createLogger(config: Pick<AppConfig, 'log'>): Logger {
  return pino({
    level: config.log.level,
    base: { service: 'stomp-chat' },
    redact: {
      paths: [
        'password',
        'passcode',
        'token',
        'accessToken',
        'refreshToken',
        'authorization',
        '*.password',
        '*.passcode',
        '*.token',
        '*.accessToken',
        '*.refreshToken',
        '*.authorization',
        'headers.authorization',
        'req.headers.authorization',
      ],
      censor: '[redacted]',
    },
  });
}

/** Nest injection token for the pino Logger. */
export const LOGGER = Symbol('Logger');
