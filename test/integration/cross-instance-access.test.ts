import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Client } from '@stomp/stompjs';
import { brokerServicesEnv, describeWithBrokerAndMysql } from '../support/broker-and-mysql.js';
import { BROKERS, type BrokerUnderTest } from '../support/brokers.js';
import { callApi, signUp } from '../support/rest-client.js';
import type { ScratchDatabase } from '../support/scratch-mysql.js';
import { connectStomp, sessionEnd, subscribedWithReceipt } from '../support/stomp-client.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';

/**
 * Access changes made through one instance reach live sessions on another: a member removed
 * on A loses the room's subscription on B, a logout on A closes the user's session on B, and
 * B's cached membership does not outlive the removal. Two real instances share one broker
 * (Redis, or RabbitMQ with Redis) and one MariaDB, as in production.
 */
for (const broker of BROKERS) {
  const suite = `Access changes across instances over ${broker.name}`;
  await describeWithBrokerAndMysql(broker, suite, (database) => describeAccessAcrossInstances(suite, broker, database));
}

function describeAccessAcrossInstances(suite: string, broker: BrokerUnderTest, database: ScratchDatabase): void {
  describe(suite, () => {
    const prefix = broker.randomPrefix();
    const env = brokerServicesEnv(broker, prefix, database, 'cross-instance-secret-cross-instance-secret-01');
    let a: RunningApp;
    let b: RunningApp;
    const clients: Client[] = [];

    beforeAll(async () => {
      a = await startTestApp(env);
      b = await startTestApp(env);
    });

    afterAll(async () => {
      await Promise.all(clients.map((client) => client.deactivate()));
      await Promise.all([a?.close(), b?.close()]);
      await broker.cleanUp(prefix);
      await database.drop();
    });

    const onB = async (token: string) => {
      const client = await connectStomp(b.wsUrl, { Authorization: `Bearer ${token}` });
      clients.push(client);
      return client;
    };
    const ended = sessionEnd;
    const subscribed = subscribedWithReceipt;

    it('ends a member’s subscription on B when A removes them, and B stops authorizing them at once', async () => {
      const owner = await signUp(a.httpUrl, 'xi_owner');
      const member = await signUp(a.httpUrl, 'xi_member');
      const room = (await callApi(a.httpUrl, 'POST', '/rooms', { kind: 'private', name: 'x' }, owner.token)).body.id;
      await callApi(a.httpUrl, 'POST', `/rooms/${room}/members`, { username: 'xi_member' }, owner.token);

      const memberOnB = await onB(member.token);
      await subscribed(memberOnB, `/topic/rooms.${room}`); // B now caches the membership
      const closed = ended(memberOnB);
      const removed = await callApi(
        a.httpUrl,
        'DELETE',
        `/rooms/${room}/members/${member.userId}`,
        undefined,
        owner.token,
      );
      expect(removed.status).toBe(204);
      const error = await closed;
      expect(error?.headers['code']).toBe('AUTH_FORBIDDEN');
      expect(error?.headers['message']).toContain('no longer a member');

      // A fresh session on B must be refused, not let in by B's cached membership.
      const again = await onB(member.token);
      const refused = ended(again);
      again.subscribe(`/topic/rooms.${room}`, () => {});
      expect((await refused)?.headers['code']).toBe('AUTH_FORBIDDEN');
    });

    it('closes the user’s session on B when they log out through A', async () => {
      const user = await signUp(a.httpUrl, 'xi_leaver');
      const login = await callApi(a.httpUrl, 'POST', '/auth/login', {
        username: 'xi_leaver',
        password: 'correct horse battery',
      });
      const client = await onB(user.token);
      const closed = ended(client);
      const logout = await callApi(
        a.httpUrl,
        'POST',
        '/auth/logout',
        { refreshToken: login.body.refreshToken },
        user.token,
      );
      expect(logout.status).toBe(204);
      expect((await closed)?.headers['code']).toBe('AUTH_REVOKED');
    });

    it('reaches every session of a user on /user/queue, on both instances', async () => {
      const owner = await signUp(a.httpUrl, 'xi_mod');
      const member = await signUp(a.httpUrl, 'xi_notified');
      const room = (await callApi(a.httpUrl, 'POST', '/rooms', { kind: 'private', name: 'z' }, owner.token)).body.id;
      await callApi(a.httpUrl, 'POST', `/rooms/${room}/members`, { username: 'xi_notified' }, owner.token);
      const onA = await connectStomp(a.wsUrl, { Authorization: `Bearer ${member.token}` });
      clients.push(onA);
      const inboxes = [
        await subscribed(onA, '/user/queue/notifications'),
        await subscribed(await onB(member.token), '/user/queue/notifications'),
      ];
      await callApi(a.httpUrl, 'DELETE', `/rooms/${room}/members/${member.userId}`, undefined, owner.token);
      for (const inbox of inboxes) {
        const [notice] = await inbox.waitFor(1);
        expect(notice!.headers['destination']).toBe('/user/queue/notifications');
        expect(JSON.parse(notice!.body)).toMatchObject({ type: 'removed-from-room', roomId: room });
      }
    });

    it('carries typing and edits made on A to a member on B', async () => {
      const owner = await signUp(a.httpUrl, 'xi_typist');
      const reader = await signUp(a.httpUrl, 'xi_reader');
      const room = (await callApi(a.httpUrl, 'POST', '/rooms', { kind: 'private', name: 't' }, owner.token)).body.id;
      await callApi(a.httpUrl, 'POST', `/rooms/${room}/members`, { username: 'xi_reader' }, owner.token);
      const readerOnB = await onB(reader.token);
      const typing = await subscribed(readerOnB, `/topic/rooms.${room}.typing`);
      const messages = await subscribed(readerOnB, `/topic/rooms.${room}`);
      const typist = await connectStomp(a.wsUrl, { Authorization: `Bearer ${owner.token}` });
      clients.push(typist);
      typist.publish({ destination: `/app/rooms.${room}.typing` });
      const [typingEvent] = await typing.waitFor(1);
      expect(JSON.parse(typingEvent!.body)).toMatchObject({ type: 'typing', username: 'xi_typist', typing: true });
      typist.publish({ destination: `/app/rooms.${room}`, body: 'helo' });
      const [original] = await messages.waitFor(1);
      typist.publish({
        destination: `/app/rooms.${room}.edit`,
        headers: { 'x-target-seq': original!.headers['x-seq']! },
        body: 'hello',
      });
      const [, edit] = await messages.waitFor(2);
      expect(edit!.headers['x-event']).toBe('edit');
      expect(edit!.headers['x-target-seq']).toBe(original!.headers['x-seq']);
      expect(edit!.body).toBe('hello');
    });

    it('delivers room messages sent on A to members on B', async () => {
      const owner = await signUp(a.httpUrl, 'xi_talker');
      const listener = await signUp(a.httpUrl, 'xi_listener');
      const room = (await callApi(a.httpUrl, 'POST', '/rooms', { kind: 'private', name: 'y' }, owner.token)).body.id;
      await callApi(a.httpUrl, 'POST', `/rooms/${room}/members`, { username: 'xi_listener' }, owner.token);
      const inbox = await subscribed(await onB(listener.token), `/topic/rooms.${room}`);
      const talker = await connectStomp(a.wsUrl, { Authorization: `Bearer ${owner.token}` });
      clients.push(talker);
      talker.publish({ destination: `/app/rooms.${room}`, body: 'across' });
      const [message] = await inbox.waitFor(1);
      expect(message!.body).toBe('across');
      expect(message!.headers['x-sender']).toBe('xi_talker');
    });
  });
}
