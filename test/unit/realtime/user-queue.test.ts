import { describe, expect, it } from '@jest/globals';
import { clientDestination, userQueueDestination } from '../../../app/src/realtime/destinations.js';
import { UserNotifier } from '../../../app/src/realtime/user-notifier.js';
import { SessionHarness } from '../../support/session-harness.js';

describe('/user/queue/** destinations', () => {
  it('reach every session of that user and no one else, under the name they subscribed to', async () => {
    const harness = new SessionHarness();
    const aliceOnPhone = await harness.connected('alice');
    const aliceOnLaptop = await harness.connected('alice');
    const bob = await harness.connected('bob');
    for (const client of [aliceOnPhone, aliceOnLaptop, bob]) {
      await client.send('SUBSCRIBE', [
        ['id', 'n'],
        ['destination', '/user/queue/notifications'],
      ]);
    }
    await new UserNotifier(harness.backplane).notify('dev:alice', 'notifications', { type: 'invited', roomId: 'r1' });

    for (const client of [aliceOnPhone, aliceOnLaptop]) {
      const [message] = client.socket.of('MESSAGE');
      expect(message?.headers.get('destination')).toBe('/user/queue/notifications');
      expect(message?.headers.get('content-type')).toBe('application/json');
      expect(message?.headers.has('x-seq')).toBe(false);
      expect(JSON.parse(message!.body.toString())).toEqual({ type: 'invited', roomId: 'r1' });
    }
    expect(bob.socket.of('MESSAGE')).toHaveLength(0);
  });

  it('cannot be reached by naming another user, nor sent to by clients', async () => {
    const harness = new SessionHarness();
    const mallory = await harness.connected('mallory');
    await mallory.send('SUBSCRIBE', [
      ['id', 'x'],
      ['destination', userQueueDestination('dev:alice', 'notifications')],
    ]);
    expect(mallory.error.code).toBe('DESTINATION_UNKNOWN');

    const sender = await harness.connected('eve');
    await sender.send('SEND', [['destination', '/user/queue/notifications']], 'hi');
    expect(sender.error.code).toBe('DESTINATION_INVALID');
  });

  it('maps internal names back to what the client subscribed to', () => {
    expect(clientDestination(userQueueDestination('u:1/x', 'errors'))).toBe('/user/queue/errors');
    expect(clientDestination('/topic/rooms.1')).toBe('/topic/rooms.1');
    expect(clientDestination('/user/queue/a')).toBe('/user/queue/a');
  });
});
