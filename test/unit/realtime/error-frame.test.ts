import { describe, expect, it } from '@jest/globals';
import { AppError } from '../../../app/src/errors/app-error.js';
import { CODEC_ERROR_CODES, ERROR_CODES, type ErrorCode } from '../../../app/src/errors/error-codes.js';
import { errorHeaders, toClientFailure } from '../../../app/src/realtime/error-frame.js';
import { StompError, type StompErrorCode } from '../../../app/src/stomp/stomp-error.js';

// Written out by value: clients reconnect (or not) by these, so a change here must be deliberate.
const APP_CLOSE_CODES: Record<ErrorCode, number> = {
  CONFIG_INVALID: 1008,
  PROTOCOL_NOT_CONNECTED: 1002,
  PROTOCOL_ALREADY_CONNECTED: 1002,
  PROTOCOL_VERSION_UNSUPPORTED: 1002,
  PROTOCOL_MISSING_HEADER: 1002,
  PROTOCOL_BAD_HEADER: 1002,
  PROTOCOL_DUPLICATE_SUBSCRIPTION: 1002,
  PROTOCOL_UNKNOWN_SUBSCRIPTION: 1002,
  PROTOCOL_UNKNOWN_TRANSACTION: 1002,
  PROTOCOL_DUPLICATE_TRANSACTION: 1002,
  PROTOCOL_UNKNOWN_ACK: 1002,
  PROTOCOL_UNEXPECTED_FRAME: 1002,
  DESTINATION_UNKNOWN: 1008,
  DESTINATION_INVALID: 1008,
  LIMIT_SUBSCRIPTIONS: 1008,
  LIMIT_SEND_RATE: 1008,
  LIMIT_SLOW_CONSUMER: 1008,
  LIMIT_UNACKED: 1008,
  LIMIT_TRANSACTION_SIZE: 1008,
  LIMIT_HEARTBEAT_TIMEOUT: 1008,
  LIMIT_CONNECTIONS: 1008,
  LIMIT_CONNECT_TIMEOUT: 1008,
  LIMIT_FRAME_TIMEOUT: 1008,
  AUTH_REQUIRED: 1008,
  AUTH_INVALID: 1008,
  AUTH_EXPIRED: 1008,
  AUTH_FORBIDDEN: 1008,
  AUTH_REVOKED: 1008,
  SERVER_DRAINING: 1012,
  REVOCATION_UNAVAILABLE: 1008,
  INTERNAL: 1011,
  VALIDATION_FAILED: 1008,
  BAD_REQUEST: 1008,
  NOT_FOUND: 1008,
  PAYLOAD_TOO_LARGE: 1008,
  JSON_TOO_DEEP: 1008,
  LIMIT_LOGIN_ATTEMPTS: 1008,
  LIMIT_BUSY: 1008,
  USER_EXISTS: 1008,
  USER_NOT_FOUND: 1008,
  ROOM_NOT_FOUND: 1008,
  ROOM_MEMBER_EXISTS: 1008,
  ROOM_NOT_MEMBER: 1008,
  ROOM_OWNER_IMMUTABLE: 1008,
  ROOM_DIRECT_FIXED: 1008,
  ROOM_DIRECT_SELF: 1008,
  HISTORY_UNAVAILABLE: 1008,
  MESSAGE_NOT_FOUND: 1008,
  MESSAGE_NOT_EDITABLE: 1008,
  MESSAGE_DELETED: 1008,
  MESSAGE_UNAVAILABLE: 1008,
  BACKPLANE_UNAVAILABLE: 1013,
  BACKPLANE_UNREPLICATED: 1013,
  MESSAGE_STORE_UNAVAILABLE: 1013,
  SEND_TIMEOUT: 1013,
};

const CODEC_CLOSE_CODES: Record<StompErrorCode, number> = {
  STOMP_BAD_COMMAND: 1002,
  STOMP_MALFORMED_HEADER: 1002,
  STOMP_BAD_ESCAPE: 1002,
  STOMP_BAD_CONTENT_LENGTH: 1002,
  STOMP_MISSING_NUL: 1002,
  STOMP_FRAME_TOO_LARGE: 1009,
  STOMP_BODY_TOO_LARGE: 1009,
  STOMP_TOO_MANY_HEADERS: 1002,
  STOMP_HEADER_TOO_LONG: 1002,
  STOMP_PARSER_FAILED: 1002,
};

describe('toClientFailure', () => {
  it.each(Object.entries(APP_CLOSE_CODES))('closes after %s with %i', (code, closeCode) => {
    const failure = toClientFailure(new AppError(code as ErrorCode, 'no'));
    expect(failure).toEqual({ code, message: 'no', details: {}, closeCode });
  });

  it.each(Object.entries(CODEC_CLOSE_CODES))('closes after the codec error %s with %i', (code, closeCode) => {
    const failure = toClientFailure(new StompError(code as StompErrorCode, 'bad frame'));
    expect(failure).toEqual({ code, message: 'bad frame', details: {}, closeCode });
  });

  it('covers every code of both tables', () => {
    expect(Object.keys(APP_CLOSE_CODES).sort()).toEqual(Object.keys(ERROR_CODES).sort());
    expect(Object.keys(CODEC_CLOSE_CODES).sort()).toEqual(Object.keys(CODEC_ERROR_CODES).sort());
  });

  it('reports anything else as INTERNAL, without its message', () => {
    expect(toClientFailure(new Error('secret detail'))).toEqual({
      code: 'INTERNAL',
      message: 'internal server error',
      details: {},
      closeCode: 1011,
    });
  });

  it('puts the details and the receipt in the ERROR headers, and only the first line of the message', () => {
    const failure = toClientFailure(
      new AppError('SERVER_DRAINING', 'restarting\nsoon', { 'x-reconnect-after-ms': 500 }),
    );
    expect(errorHeaders(failure, 'r-1')).toEqual([
      ['message', 'restarting'],
      ['code', 'SERVER_DRAINING'],
      ['content-type', 'text/plain;charset=utf-8'],
      ['receipt-id', 'r-1'],
      ['x-reconnect-after-ms', '500'],
    ]);
  });
});
