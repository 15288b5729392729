/** The protocol versions this codec speaks; they differ only in header escaping. */
export type StompVersion = '1.0' | '1.1' | '1.2';

/** Insertion-ordered; when a header repeats in a frame, the FIRST value is kept (STOMP 1.2 "Repeated Header Entries"). */
export type StompHeaders = Map<string, string>;

export interface StompFrame {
  readonly command: StompCommand;
  readonly headers: StompHeaders;
  readonly body: Buffer;
}

export type StompCommand =
  | 'CONNECT'
  | 'STOMP'
  | 'SEND'
  | 'SUBSCRIBE'
  | 'UNSUBSCRIBE'
  | 'ACK'
  | 'NACK'
  | 'BEGIN'
  | 'COMMIT'
  | 'ABORT'
  | 'DISCONNECT'
  | 'CONNECTED'
  | 'MESSAGE'
  | 'RECEIPT'
  | 'ERROR';

/** Frames a client may send to the server. */
export const CLIENT_COMMANDS: ReadonlySet<StompCommand> = new Set<StompCommand>([
  'CONNECT',
  'STOMP',
  'SEND',
  'SUBSCRIBE',
  'UNSUBSCRIBE',
  'ACK',
  'NACK',
  'BEGIN',
  'COMMIT',
  'ABORT',
  'DISCONNECT',
]);

/** Frames the server sends to a client. */
export const SERVER_COMMANDS: ReadonlySet<StompCommand> = new Set<StompCommand>([
  'CONNECTED',
  'MESSAGE',
  'RECEIPT',
  'ERROR',
]);
