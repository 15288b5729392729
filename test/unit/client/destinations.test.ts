import { describe, expect, it } from '@jest/globals';
import { destinations } from '../../../client/src/destinations.js';
import { ERROR_CODES } from '../../../app/src/errors/error-codes.js';
import { isFatalSessionError, isPermanentSendError } from '../../../client/src/errors.js';
import { presenceTopic, ROOM_DESTINATIONS, roomTopic, typingTopic } from '../../../app/src/rooms/room-destinations.js';

describe('the SDK speaks the server’s names', () => {
  it('uses the topics the server publishes on', () => {
    const roomId = '0b7e8c8e-1d2f-4c1a-9a59-3d7c8f0e5a11';
    expect(destinations.roomTopic(roomId)).toBe(roomTopic(roomId));
    expect(destinations.typingTopic(roomId)).toBe(typingTopic(roomId));
    expect(destinations.presenceTopic(roomId)).toBe(presenceTopic(roomId));
  });

  it('sends to the /app destinations the server declares', () => {
    const roomId = '0b7e8c8e-1d2f-4c1a-9a59-3d7c8f0e5a11';
    const declared = (pattern: string) => pattern.replace('{roomId}', roomId);
    expect(destinations.roomSend(roomId)).toBe(declared(ROOM_DESTINATIONS.send));
    expect(destinations.typingSend(roomId)).toBe(declared(ROOM_DESTINATIONS.typing));
    expect(destinations.editSend(roomId)).toBe(declared(ROOM_DESTINATIONS.edit));
    expect(destinations.deleteSend(roomId)).toBe(declared(ROOM_DESTINATIONS.delete));
    expect(destinations.readSend(roomId)).toBe(declared(ROOM_DESTINATIONS.read));
  });

  it('classifies only codes the server has', () => {
    const codes = Object.keys(ERROR_CODES) as Array<keyof typeof ERROR_CODES>;
    for (const code of ['AUTH_REVOKED', 'AUTH_INVALID', 'AUTH_REQUIRED'] as const) expect(codes).toContain(code);
    expect(codes.filter(isFatalSessionError)).toEqual(['AUTH_REQUIRED', 'AUTH_INVALID', 'AUTH_REVOKED']);
    expect(isPermanentSendError('AUTH_FORBIDDEN')).toBe(true);
    expect(isPermanentSendError('LIMIT_SEND_RATE')).toBe(false);
    expect(isPermanentSendError('SERVER_DRAINING')).toBe(false);
  });
});
