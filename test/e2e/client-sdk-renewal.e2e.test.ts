import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ChatClient, ChatError } from '../../client/src/chat-client.js';
import { RoomLog, sdkUser } from '../support/chat-sdk.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';

const TTL_SECONDS = 30; // the shortest access token the server allows

/**
 * An access token that expires mid-session: the SDK refreshes it over REST and hands the new one
 * to the live session (SEND /app/session.renew), so the session goes on past the first token's
 * expiry without a reconnect. Takes about TTL_SECONDS + the clock tolerance.
 */
describe('client SDK token renewal', () => {
  let server: RunningApp;
  const opened: ChatClient[] = [];

  beforeAll(async () => {
    server = await startTestApp({ JWT_ACCESS_TTL_SECONDS: String(TTL_SECONDS), JWT_CLOCK_TOLERANCE_SECONDS: '1' });
  });

  afterAll(async () => {
    await Promise.all(opened.map((chat) => chat.close()));
    await server.close();
  });

  it('renews an expiring token in-band: the same session outlives the first token', async () => {
    const chat = await sdkUser(server.httpUrl, 'renewing', { renewAtFraction: 0.3 }, opened);
    const firstToken = chat.tokenPair.accessToken;
    const session = chat.sessionId;
    const states: string[] = [];
    const errors: ChatError[] = [];
    chat.on('state', (event) => states.push(event.state));
    chat.on('error', (error) => errors.push(error));
    const room = await chat.api.createRoom('renewal');
    await chat.join(room.id);
    const log = new RoomLog(chat, room.id);

    await new Promise((resolve) => setTimeout(resolve, (TTL_SECONDS + 3) * 1_000));
    await chat.send(room.id, 'after the first token expired');
    await log.waitForCount(1);

    expect(chat.tokenPair.accessToken).not.toBe(firstToken);
    expect(chat.sessionId).toBe(session);
    expect(states).toEqual([]);
    expect(errors).toEqual([]);
  }, 60_000);
});
