import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Client, IFrame } from '@stomp/stompjs';
import { callApi } from '../support/rest-client.js';
import { connectWithToken, Inbox, subscribedWithReceipt } from '../support/stomp-client.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';

/**
 * Gateways end to end with @stomp/stompjs and real tokens: the example reactions gateway
 * (guard, DTO validation, RECEIPT headers from the handler's result), room announcements
 * (RoomMemberGuard then RoomModeratorGuard), and deny by default.
 */
describe('STOMP gateways', () => {
  let server: RunningApp;
  const clients: Client[] = [];
  let roomId: string;
  let aliceToken: string;
  let carolToken: string;
  let bobToken: string; // admin of the room
  let daveToken: string; // plain member
  let erinToken: string; // admin, then demoted
  let erinId: string;

  const api = (method: string, path: string, body?: unknown, token?: string) =>
    callApi(server.httpUrl, method, path, body, token);

  const signUp = async (username: string): Promise<string> => {
    await api('POST', '/auth/register', { username, password: 'correct horse battery', displayName: username });
    return (await api('POST', '/auth/login', { username, password: 'correct horse battery' })).body.accessToken;
  };

  beforeAll(async () => {
    server = await startTestApp({ JWT_SECRET: 'gateways-secret-gateways-secret-0123456789' });
    aliceToken = await signUp('alice');
    carolToken = await signUp('carol');
    bobToken = await signUp('bob');
    daveToken = await signUp('dave');
    erinToken = await signUp('erin');
    roomId = (await api('POST', '/rooms', { kind: 'private', name: 'reacts' }, aliceToken)).body.id;
    await api('POST', `/rooms/${roomId}/members`, { username: 'bob', role: 'admin' }, aliceToken);
    await api('POST', `/rooms/${roomId}/members`, { username: 'dave' }, aliceToken);
    erinId = (await api('POST', `/rooms/${roomId}/members`, { username: 'erin', role: 'admin' }, aliceToken)).body
      .userId;
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.deactivate()));
    await server.close();
  });

  const stomp = (token: string) => connectWithToken(server.wsUrl, token, clients);

  const receipt = (client: Client, id: string) => new Promise<IFrame>((resolve) => client.watchForReceipt(id, resolve));

  /** The ERROR frame that ends the session. */
  const closedWith = (client: Client) =>
    new Promise<IFrame | undefined>((resolve) => {
      let error: IFrame | undefined;
      client.onStompError = (frame) => (error = frame);
      client.onWebSocketClose = () => resolve(error);
    });

  it('puts a reaction on the room topic and answers with the RECEIPT header the handler returned', async () => {
    const alice = await stomp(aliceToken);
    const inbox = new Inbox();
    const subscribed = receipt(alice, 'sub');
    alice.subscribe(`/topic/rooms.${roomId}`, inbox.push, { receipt: 'sub' });
    await subscribed;
    const done = receipt(alice, 'react-1');
    alice.publish({
      destination: `/app/rooms.${roomId}.reactions`,
      body: JSON.stringify({ seq: 1, emoji: '👍' }),
      headers: { receipt: 'react-1', 'content-type': 'application/json' },
    });
    expect((await done).headers['x-reaction']).toBe('👍');
    const [event] = await inbox.waitFor(1);
    expect(JSON.parse(event!.body)).toMatchObject({ type: 'reaction', roomId, seq: 1, emoji: '👍' });
  });

  it('validates the body with the DTO: VALIDATION_FAILED', async () => {
    const alice = await stomp(aliceToken);
    const closed = closedWith(alice);
    alice.publish({ destination: `/app/rooms.${roomId}.reactions`, body: JSON.stringify({ seq: 0, emoji: '' }) });
    expect((await closed)?.headers['code']).toBe('VALIDATION_FAILED');
  });

  it('refuses a non-member through the guard: AUTH_FORBIDDEN', async () => {
    const carol = await stomp(carolToken);
    const closed = closedWith(carol);
    carol.publish({ destination: `/app/rooms.${roomId}.reactions`, body: JSON.stringify({ seq: 1, emoji: 'x' }) });
    expect((await closed)?.headers['code']).toBe('AUTH_FORBIDDEN');
  });

  describe('room announcements (moderators only)', () => {
    const announce = (client: Client, text: unknown, receiptId?: string) =>
      client.publish({
        destination: `/app/rooms.${roomId}.announce`,
        body: JSON.stringify({ text }),
        headers: { 'content-type': 'application/json', ...(receiptId === undefined ? {} : { receipt: receiptId }) },
      });

    it('lets an admin announce, and every subscribed member sees it; a member is refused with AUTH_FORBIDDEN', async () => {
      const [alice, bob, dave] = [await stomp(aliceToken), await stomp(bobToken), await stomp(daveToken)];
      const topic = `/topic/rooms.${roomId}.announcements`;
      const ownerInbox = await subscribedWithReceipt(alice, topic);
      const memberInbox = await subscribedWithReceipt(dave, topic);
      const announced = (text: string, id: string) => {
        const done = receipt(bob, id);
        announce(bob, text, id);
        return done;
      };

      await announced('maintenance at 18:00 UTC', 'announce-1');
      for (const inbox of [ownerInbox, memberInbox]) {
        const [event] = await inbox.waitFor(1);
        expect(JSON.parse(event!.body)).toMatchObject({
          type: 'announcement',
          roomId,
          text: 'maintenance at 18:00 UTC',
          username: 'bob',
        });
        expect(event!.headers['x-seq']).toBeUndefined(); // live only
      }

      const daveEnded = closedWith(dave);
      announce(dave, 'free pizza (not really)');
      expect((await daveEnded)?.headers['code']).toBe('AUTH_FORBIDDEN');
      // Dave's attempt never reached the topic: the owner's next event is bob's next one.
      await announced('back online', 'announce-2');
      const texts = (await ownerInbox.waitFor(2)).map((message) => JSON.parse(message.body).text);
      expect(texts).toEqual(['maintenance at 18:00 UTC', 'back online']);
    });

    it('refuses a non-member at the membership guard: AUTH_FORBIDDEN', async () => {
      const carol = await stomp(carolToken);
      const closed = closedWith(carol);
      announce(carol, 'hello');
      expect((await closed)?.headers['code']).toBe('AUTH_FORBIDDEN');
    });

    it('takes the right away at once from an admin demoted over REST', async () => {
      const before = await stomp(erinToken);
      const allowed = receipt(before, 'announce-3');
      announce(before, 'still admin', 'announce-3');
      await allowed;

      expect((await api('DELETE', `/rooms/${roomId}/members/${erinId}`, undefined, aliceToken)).status).toBe(204);
      expect((await api('POST', `/rooms/${roomId}/members`, { username: 'erin' }, aliceToken)).body.role).toBe(
        'member',
      );

      const after = await stomp(erinToken);
      const closed = closedWith(after);
      announce(after, 'am I still admin?');
      const error = await closed;
      expect(error?.headers['code']).toBe('AUTH_FORBIDDEN');
      expect(error?.headers['message']).toMatch(/only the owner or admins/);
    });

    it('validates the body: VALIDATION_FAILED for an empty announcement', async () => {
      const bob = await stomp(bobToken);
      const closed = closedWith(bob);
      announce(bob, '');
      expect((await closed)?.headers['code']).toBe('VALIDATION_FAILED');
    });
  });

  it.each([
    ['SEND to an undeclared /app destination', 'SEND', '/app/polls.vote'],
    ['SEND to /topic/anything', 'SEND', '/topic/anything'],
    ['SUBSCRIBE to /topic/anything', 'SUBSCRIBE', '/topic/anything'],
    ['SUBSCRIBE to an undeclared user queue', 'SUBSCRIBE', '/user/queue/anything'],
  ])('denies by default: %s → DESTINATION_UNKNOWN', async (_name, command, destination) => {
    const alice = await stomp(aliceToken);
    const closed = closedWith(alice);
    if (command === 'SEND') alice.publish({ destination, body: 'x' });
    else alice.subscribe(destination, () => {});
    expect((await closed)?.headers['code']).toBe('DESTINATION_UNKNOWN');
  });
});
