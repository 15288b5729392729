import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Client, IFrame } from '@stomp/stompjs';
import { callApi } from '../support/rest-client.js';
import { connectWithToken, Inbox } from '../support/stomp-client.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';

/**
 * Gateways end to end with @stomp/stompjs and real tokens: the example reactions gateway
 * (guard, DTO validation, RECEIPT headers from the handler's result), and deny by default.
 */
describe('STOMP gateways', () => {
  let server: RunningApp;
  const clients: Client[] = [];
  let roomId: string;
  let aliceToken: string;
  let carolToken: string;

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
    roomId = (await api('POST', '/rooms', { kind: 'private', name: 'reacts' }, aliceToken)).body.id;
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.deactivate()));
    await server.close();
  });

  const stomp = (token: string) => connectWithToken(server.wsUrl, token, clients);

  const receipt = (client: Client, id: string) =>
    new Promise<IFrame>((resolve) => client.watchForReceipt(id, resolve));

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
