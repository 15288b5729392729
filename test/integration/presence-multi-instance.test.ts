import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Client, IFrame, IMessage } from '@stomp/stompjs';
import { Redis } from 'ioredis';
import type { PresenceEvent } from '../../app/src/presence/presence-event.js';
import { PRESENCE_REGISTRY, type PresenceRegistry } from '../../app/src/presence/presence-registry.port.js';
import { brokerServicesEnv, describeWithBrokerAndMysql } from '../support/broker-and-mysql.js';
import { BROKERS, type BrokerUnderTest } from '../support/brokers.js';
import { redisUrl } from '../support/redis.js';
import { callApi, signUp } from '../support/rest-client.js';
import type { ScratchDatabase } from '../support/scratch-mysql.js';
import { connectStomp, Inbox } from '../support/stomp-client.js';
import { startTestApp, whenReady, type RunningApp } from '../support/test-app.js';

const TTL_MS = 1_500;
const HEARTBEAT_MS = 300;
const GRACE_MS = 700;

/**
 * Presence and read markers across real service instances on ephemeral ports, joined through one
 * broker (Redis, or RabbitMQ with Redis: presence lives in Redis either way, its events travel
 * through the broker) and one MariaDB, with JWT users and @stomp/stompjs clients: online/offline
 * events cross instances once each, a flapping connection stays quiet, an instance that vanishes
 * without cleanup takes its users offline within the TTL, unread counts follow reads from any
 * instance.
 */
for (const broker of BROKERS) {
  const suite = `Presence and read markers across instances over ${broker.name}`;
  await describeWithBrokerAndMysql(broker, suite, (database) =>
    describePresenceAcrossInstances(suite, broker, database),
  );
}

interface User {
  readonly userId: string;
  readonly token: string;
}

function describePresenceAcrossInstances(suite: string, broker: BrokerUnderTest, database: ScratchDatabase): void {
  describe(suite, () => {
    const prefix = broker.randomPrefix();
    const keyPrefix = broker.redisKeyPrefix(prefix);
    const env = {
      ...brokerServicesEnv(broker, prefix, database, 'presence-multi-secret-presence-multi-secret-01'),
      PRESENCE_HEARTBEAT_INTERVAL_MS: String(HEARTBEAT_MS),
      PRESENCE_TTL_MS: String(TTL_MS),
      PRESENCE_OFFLINE_GRACE_MS: String(GRACE_MS),
      PRESENCE_SWEEP_INTERVAL_MS: '100',
      READ_MARKERS_FLUSH_INTERVAL_MS: '200',
    };
    const instances: RunningApp[] = [];
    const clients: Client[] = [];
    const users: Record<string, User> = {};
    let roomId: string;
    let publicRoomId: string;
    let watcher: Inbox;

    const api = (instance: RunningApp, method: string, path: string, body?: unknown, token?: string) =>
      callApi(instance.httpUrl, method, path, body, token);
    const connect = async (instance: RunningApp, user: User) => {
      const client = await connectStomp(instance.wsUrl, { Authorization: `Bearer ${user.token}` });
      clients.push(client);
      return client;
    };
    const disconnect = async (client: Client) => {
      clients.splice(clients.indexOf(client), 1);
      await client.deactivate();
    };
    const receipt = (client: Client, frame: { destination: string; body?: string }) =>
      new Promise<void>((resolve) => {
        const id = randomUUID();
        client.watchForReceipt(id, () => resolve());
        client.publish({ ...frame, headers: { receipt: id } });
      });
    const subscribe = async (client: Client, destination: string) => {
      const inbox = new Inbox();
      const id = randomUUID();
      const subscribed = new Promise<void>((resolve) => client.watchForReceipt(id, () => resolve()));
      client.subscribe(destination, inbox.push, { receipt: id });
      await subscribed;
      return inbox;
    };
    const events = (inbox: Inbox, userId: string): PresenceEvent[] =>
      inbox.messages
        .map((message: IMessage) => JSON.parse(message.body) as PresenceEvent)
        .filter((event) => event.userId === userId);
    /** Waits for a `status` event about the user, among those after the first `skip` of theirs. */
    const waitForEvent = async (inbox: Inbox, userId: string, status: string, timeoutMs = 5_000, skip = 0) => {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const found = events(inbox, userId)
          .slice(skip)
          .find((event) => event.status === status);
        if (found !== undefined) return found;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`no ${status} event for ${userId} within ${timeoutMs} ms`);
    };
    const onlineIn = async (instance: RunningApp, room: string, user: User) => {
      const reply = await api(instance, 'GET', `/rooms/${room}/presence`, undefined, user.token);
      expect(reply.status).toBe(200);
      return (reply.body.online as Array<{ userId: string }>).map((member) => member.userId).sort();
    };
    const myRoom = async (instance: RunningApp, user: User) => {
      const reply = await api(instance, 'GET', '/rooms', undefined, user.token);
      return reply.body.find((room: { id: string }) => room.id === roomId);
    };
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

    beforeAll(async () => {
      // One after another: the first one migrates the scratch database.
      for (let i = 0; i < 3; i++) instances.push(await startTestApp(env));
      const [a] = instances;
      for (const name of ['alice', 'bob', 'carol', 'dave', 'eve']) users[name] = await signUp(a!.httpUrl, name);
      const room = await api(a!, 'POST', '/rooms', { kind: 'private', name: 'team' }, users.alice!.token);
      roomId = room.body.id;
      for (const name of ['bob', 'carol', 'dave']) {
        expect((await api(a!, 'POST', `/rooms/${roomId}/members`, { username: name }, users.alice!.token)).status).toBe(
          201,
        );
      }
      const open = await api(a!, 'POST', '/rooms', { kind: 'public', name: 'lobby' }, users.alice!.token);
      publicRoomId = open.body.id;
      const aliceClient = await connect(a!, users.alice!);
      watcher = await subscribe(aliceClient, `/topic/rooms.${roomId}.presence`);
    }, 60_000);

    afterAll(async () => {
      await Promise.all(clients.map((client) => client.deactivate()));
      await Promise.all(instances.map((instance) => instance.close()));
      await broker.cleanUp(prefix);
      await database.drop();
    });

    it('announces a user online on another instance, lists them, and announces them offline once after the grace period', async () => {
      const [a, b, c] = instances;
      const bob = await connect(b!, users.bob!);
      const online = await waitForEvent(watcher, users.bob!.userId, 'online');
      expect(online).toEqual({
        type: 'presence',
        roomId,
        userId: users.bob!.userId,
        username: 'bob',
        status: 'online',
        at: expect.any(String),
      });
      expect(watcher.messages.at(-1)!.headers['x-seq']).toBeUndefined(); // ephemeral
      expect(await onlineIn(c!, roomId, users.alice!)).toEqual([users.alice!.userId, users.bob!.userId].sort());

      const leftAt = Date.now();
      await disconnect(bob);
      await waitForEvent(watcher, users.bob!.userId, 'offline');
      expect(Date.now() - leftAt).toBeGreaterThanOrEqual(GRACE_MS - 50);
      // Three instances sweep; still exactly one offline event.
      await sleep(GRACE_MS);
      expect(events(watcher, users.bob!.userId).map((event) => event.status)).toEqual(['online', 'offline']);
      expect(await onlineIn(a!, roomId, users.alice!)).toEqual([users.alice!.userId]);
    });

    it('keeps a flapping connection quiet: one online event, no offline while it keeps coming back', async () => {
      const [a, b, c] = instances;
      let carol = await connect(b!, users.carol!);
      await waitForEvent(watcher, users.carol!.userId, 'online');
      for (const instance of [c!, a!, b!, c!]) {
        await disconnect(carol);
        await sleep(GRACE_MS / 4);
        carol = await connect(instance, users.carol!);
      }
      await sleep(GRACE_MS + 300);
      expect(events(watcher, users.carol!.userId).map((event) => event.status)).toEqual(['online']);
      expect(await onlineIn(a!, roomId, users.alice!)).toContain(users.carol!.userId);
      await disconnect(carol);
      await waitForEvent(watcher, users.carol!.userId, 'offline');
    });

    it('takes the users of an instance that vanished without cleanup offline within the TTL, once', async () => {
      const doomed = await startTestApp(env);
      instances.push(doomed);
      await whenReady(doomed.httpUrl);
      await connect(doomed, users.dave!);
      await waitForEvent(watcher, users.dave!.userId, 'online');
      expect(await onlineIn(instances[0]!, roomId, users.alice!)).toContain(users.dave!.userId);

      // The instance's presence connection goes: no more heartbeats, and nothing it does on the
      // way down (session removals, its own removal) reaches Redis. Its entries stay behind.
      const registry = doomed.app.get<PresenceRegistry>(PRESENCE_REGISTRY);
      const vanishedAt = Date.now();
      await registry.close();
      instances.splice(instances.indexOf(doomed), 1);
      await doomed.close();
      const inspect = new Redis(redisUrl());
      try {
        expect(await inspect.zscore(`${keyPrefix}{presence}:instances`, registry.instanceId)).not.toBeNull();
        expect(await inspect.hlen(`${keyPrefix}{presence}:user:${users.dave!.userId}`)).toBe(1);
      } finally {
        inspect.disconnect();
      }

      await waitForEvent(watcher, users.dave!.userId, 'offline', TTL_MS + 3_000);
      const tookMs = Date.now() - vanishedAt;
      // Not the graceful path (offline after the grace period): the instance expired ...
      expect(tookMs).toBeGreaterThanOrEqual(TTL_MS - HEARTBEAT_MS - 100);
      // ... and was noticed by the survivors' sweeps right after.
      expect(tookMs).toBeLessThanOrEqual(TTL_MS + 1_500);
      await sleep(500);
      expect(events(watcher, users.dave!.userId).map((event) => event.status)).toEqual(['online', 'offline']);
      expect(await onlineIn(instances[1]!, roomId, users.alice!)).not.toContain(users.dave!.userId);
    });

    it('removes a gracefully stopped instance’s entries at once; its users go offline after the grace period', async () => {
      const leaving = await startTestApp(env);
      await whenReady(leaving.httpUrl);
      const before = events(watcher, users.bob!.userId).length;
      const bob = await connect(leaving, users.bob!);
      await waitForEvent(watcher, users.bob!.userId, 'online', 5_000, before);
      const { instanceId } = leaving.app.get<PresenceRegistry>(PRESENCE_REGISTRY);
      await leaving.close();
      clients.splice(clients.indexOf(bob), 1);
      const inspect = new Redis(redisUrl());
      try {
        expect(await inspect.zscore(`${keyPrefix}{presence}:instances`, instanceId)).toBeNull();
        expect(
          await inspect.exists(
            `${keyPrefix}{presence}:instance:${instanceId}`,
            `${keyPrefix}{presence}:user:${users.bob!.userId}`,
          ),
        ).toBe(0);
      } finally {
        inspect.disconnect();
      }
      // The entries are gone already (no expiry involved): what is left is the grace period.
      await waitForEvent(watcher, users.bob!.userId, 'offline', 5_000, before);
      await sleep(300);
      const statuses = events(watcher, users.bob!.userId)
        .slice(before)
        .map((event) => event.status);
      expect(statuses).toEqual(['online', 'offline']);
    });

    it('gives unread counts that follow reads over STOMP on one instance and REST on another', async () => {
      const [a, b, c] = instances;
      const sender = await connect(a!, users.alice!);
      for (let n = 1; n <= 4; n++) await receipt(sender, { destination: `/app/rooms.${roomId}`, body: `m${n}` });
      expect(await myRoom(c!, users.bob!)).toMatchObject({ lastReadSeq: 0, unreadCount: 4 });

      const bob = await connect(b!, users.bob!);
      await receipt(bob, { destination: `/app/rooms.${roomId}.read`, body: JSON.stringify({ seq: 3 }) });
      // At once on the instance that took it; on the others once it is flushed.
      expect(await myRoom(b!, users.bob!)).toMatchObject({ lastReadSeq: 3, unreadCount: 1 });
      const deadline = Date.now() + 5_000;
      while ((await myRoom(c!, users.bob!)).lastReadSeq !== 3 && Date.now() < deadline) await sleep(50);
      expect(await myRoom(c!, users.bob!)).toMatchObject({ lastReadSeq: 3, unreadCount: 1 });

      const back = await api(c!, 'PUT', `/rooms/${roomId}/read`, { seq: 2 }, users.bob!.token);
      expect(back.body).toEqual({ roomId, lastReadSeq: 3, unreadCount: 1 });
      const all = await api(a!, 'PUT', `/rooms/${roomId}/read`, { seq: 999 }, users.bob!.token);
      expect(all.body).toEqual({ roomId, lastReadSeq: 4, unreadCount: 0 });
      expect(await myRoom(a!, users.bob!)).toMatchObject({ lastReadSeq: 4, unreadCount: 0 });
      expect(await myRoom(b!, users.alice!)).toMatchObject({ unreadCount: 4 });
      await disconnect(bob);
      await disconnect(sender);
    });

    it('gives a non-member nothing: no presence list, no presence topic, no read marker', async () => {
      const [a, b] = instances;
      const eve = users.eve!;
      const hidden = await api(a!, 'GET', `/rooms/${roomId}/presence`, undefined, eve.token);
      expect(hidden.status).toBe(404);
      expect(hidden.body.error.code).toBe('ROOM_NOT_FOUND');
      const open = await api(a!, 'GET', `/rooms/${publicRoomId}/presence`, undefined, eve.token);
      expect(open.status).toBe(403);
      expect((await api(a!, 'GET', `/rooms/${randomUUID()}/presence`, undefined, eve.token)).status).toBe(404);
      expect((await api(b!, 'PUT', `/rooms/${roomId}/read`, { seq: 1 }, eve.token)).status).toBe(403);

      const refused = async (act: (client: Client) => void) => {
        const client = await connect(b!, eve);
        const error = new Promise<IFrame>((resolve) => (client.onStompError = resolve));
        act(client);
        return (await error).headers['code'];
      };
      expect(
        await refused((client) => client.publish({ destination: `/app/rooms.${roomId}.read`, body: '{"seq":1}' })),
      ).toBe('AUTH_FORBIDDEN');
      expect(await refused((client) => client.subscribe(`/topic/rooms.${roomId}.presence`, () => {}))).toBe(
        'AUTH_FORBIDDEN',
      );
      // Eve coming and going is announced to nobody in a room she is not in.
      expect(events(watcher, eve.userId)).toEqual([]);
    });
  });
}
