import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Client } from '@stomp/stompjs';
import { BACKPLANE, type Backplane, type ControlEvent } from '../../app/src/backplane/backplane.port.js';
import type { BrokerUnderTest } from '../support/brokers.js';
import { connectStomp, Inbox, sessionFailure } from '../support/stomp-client.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';

/**
 * Three real service instances on ephemeral ports, joined only through a real broker (Redis,
 * or RabbitMQ with Redis), with unmodified @stomp/stompjs clients: what one instance accepts,
 * every instance delivers, once, in sequence order.
 */
export async function describeThreeInstances(broker: BrokerUnderTest): Promise<void> {
  const suite = `Three instances over ${broker.name}`;
  const availability = await broker.available();
  if (!availability.ok) {
    broker.describeUnavailable(suite, availability.reason);
    return;
  }
  describe(suite, () => {
    const prefix = broker.randomPrefix();
    let instances: RunningApp[] = [];
    const clients: Client[] = [];

    beforeAll(async () => {
      instances = await Promise.all(
        [0, 1, 2].map(() =>
          startTestApp({
            ...broker.env(prefix),
            AUTH_DEV_ACCEPT_ANY: 'true',
            STOMP_CLIENT_TOPICS: '/topic/**',
            STOMP_SEND_RATE_PER_SECOND: '100000',
            STOMP_SEND_BURST: '100000',
            STOMP_USER_SEND_RATE_PER_SECOND: '100000',
            STOMP_USER_SEND_BURST: '100000',
            STOMP_MAX_OUTBOUND_BUFFER_BYTES: String(64 * 1024 * 1024),
            SHUTDOWN_DRAIN_MS: '0',
          }),
        ),
      );
    });

    afterAll(async () => {
      await Promise.all(clients.map((client) => client.deactivate()));
      await Promise.all(instances.map((instance) => instance.close()));
      await broker.cleanUp(prefix);
    });

    const connect = async (instance: RunningApp, login: string) => {
      const client = await connectStomp(instance.wsUrl, { login });
      clients.push(client);
      return client;
    };
    const receipt = (client: Client, id: string) =>
      new Promise<void>((resolve) => client.watchForReceipt(id, () => resolve()));
    const subscribe = async (client: Client, destination: string) => {
      const inbox = new Inbox();
      const id = `sub-${randomBytes(4).toString('hex')}`;
      const subscribed = receipt(client, id);
      client.subscribe(destination, inbox.push, { receipt: id });
      await subscribed;
      return inbox;
    };
    const topic = (name: string) => `/topic/multi.${name}.${randomBytes(3).toString('hex')}`;

    it('reports the backplane ready on every instance', async () => {
      for (const instance of instances) {
        const response = await fetch(`${instance.httpUrl}/readyz`);
        // Status and body together, so a failure shows which check failed.
        expect({ status: response.status, body: await response.json() }).toMatchObject({
          status: 200,
          body: { checks: { backplane: 'ok' } },
        });
      }
    });

    it('delivers a message sent on instance A to a subscriber on instance C', async () => {
      const [a, , c] = instances;
      const destination = topic('a-to-c');
      const carol = await connect(c!, 'carol');
      const inbox = await subscribe(carol, destination);
      const alice = await connect(a!, 'alice');

      const sent = receipt(alice, 'a-to-c');
      alice.publish({
        destination,
        body: 'from A',
        headers: { 'content-type': 'text/plain', 'x-trace': 't1', receipt: 'a-to-c' },
      });
      await sent;

      const [message] = await inbox.waitFor(1);
      expect(message!.body).toBe('from A');
      expect(message!.headers).toMatchObject({
        destination,
        'x-seq': '1',
        'x-trace': 't1',
        'content-type': 'text/plain',
      });
    });

    it('delivers 10,000 messages from six senders on three instances to every subscriber once, in x-seq order', async () => {
      const destination = topic('load');
      const total = 10_000;
      const window = 250;
      const subscribers = await Promise.all(
        instances.flatMap((instance, i) =>
          [0, 1].map(async (j) => subscribe(await connect(instance, `reader-${i}-${j}`), destination)),
        ),
      );
      const senders = await Promise.all(
        instances.flatMap((instance, i) => [0, 1].map((j) => connect(instance, `writer-${i}-${j}`))),
      );

      const started = Date.now();
      // Each sender owns every sixth message and waits for a receipt after each window of them,
      // so no socket buffers thousands of frames and the run is paced by the servers.
      await Promise.all(
        senders.map(async (sender, s) => {
          // A refused SEND ends the session with an ERROR: fail with it rather than time out.
          const failed = sessionFailure(sender);
          const mine = Array.from(
            { length: Math.ceil((total - s) / senders.length) },
            (_, k) => s + k * senders.length,
          );
          for (let from = 0; from < mine.length; from += window) {
            const batch = mine.slice(from, from + window);
            const id = `w-${s}-${from}`;
            const done = receipt(sender, id);
            batch.forEach((n, k) =>
              sender.publish({ destination, body: `m${n}`, headers: k === batch.length - 1 ? { receipt: id } : {} }),
            );
            await Promise.race([done, failed]);
          }
        }),
      );
      const accepted = Date.now() - started;

      const expectedSeqs = Array.from({ length: total }, (_, i) => String(i + 1));
      const expectedBodies = Array.from({ length: total }, (_, i) => `m${i}`).sort();
      for (const inbox of subscribers) {
        const messages = await inbox.waitFor(total, 30_000);
        expect(messages).toHaveLength(total);
        expect(messages.map((message) => message.headers['x-seq'])).toEqual(expectedSeqs);
        expect(messages.map((message) => message.body).sort()).toEqual(expectedBodies);
      }
      // Every subscriber saw the very same message (same message-id) at each sequence number.
      const ids = subscribers[0]!.messages.map((message) => message.headers['message-id']);
      expect(new Set(ids).size).toBe(total);
      for (const inbox of subscribers)
        expect(inbox.messages.map((message) => message.headers['message-id'])).toEqual(ids);
      console.info(
        `multi-instance: ${total} SENDs accepted in ${accepted} ms, all delivered ${Date.now() - started} ms after the first`,
      );
    }, 60_000);

    it('carries control events to every instance, the sender included', async () => {
      const backplanes = instances.map((instance) => instance.app.get<Backplane>(BACKPLANE));
      const seen = backplanes.map(() => [] as ControlEvent[]);
      backplanes.forEach((backplane, i) => backplane.onControl((event) => seen[i]!.push(event)));
      const event: ControlEvent = { type: 'user-sessions-closed', userId: 'u-7', reason: 'password-changed' };

      await backplanes[0]!.publishControl(event);

      const deadline = Date.now() + 5_000;
      while (seen.some((events) => events.length === 0) && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 10));
      expect(seen).toEqual([[event], [event], [event]]);
    });
  });
}
