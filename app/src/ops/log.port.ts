/**
 * The structured logger every part of the app writes to: pino's interface, narrowed to what the
 * code calls, so tests can pass a recorder. A part that needs fewer levels takes a `Pick` of it.
 */
export interface Log {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}
