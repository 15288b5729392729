import { describe, expect, it } from '@jest/globals';
import { ChatError } from '../../../client/src/errors.js';
import { Outbox } from '../../../client/src/outbox.js';

const entry = (clientMsgId: string) => ({ clientMsgId, roomId: 'r', body: clientMsgId, contentType: 'text/plain' });

describe('Outbox', () => {
  it('hands out unsent entries oldest first, a window at a time, and again on each new connection', () => {
    const outbox = new Outbox();
    for (const id of ['a', 'b', 'c']) void outbox.add(entry(id));
    const first = outbox.unsentOn(1, 2);
    expect(first.map((e) => e.clientMsgId)).toEqual(['a', 'b']);
    first.forEach((e) => (e.sentOn = 1));
    expect(outbox.inFlightOn(1)).toBe(2);
    expect(outbox.unsentOn(1, 10).map((e) => e.clientMsgId)).toEqual(['c']);
    // A new connection: everything not acknowledged goes again, same ids, same order.
    expect(outbox.unsentOn(2, 10).map((e) => e.clientMsgId)).toEqual(['a', 'b', 'c']);
  });

  it('resolves on acknowledgement, rejects on refusal or close, and forgets settled entries', async () => {
    const outbox = new Outbox();
    const a = outbox.add(entry('a'));
    const b = outbox.add(entry('b'));
    const c = outbox.add(entry('c'));
    outbox.acknowledged('a');
    outbox.acknowledged('a'); // a second RECEIPT changes nothing
    outbox.refused('b', new ChatError('AUTH_FORBIDDEN', 'not a member'));
    await expect(a).resolves.toBeUndefined();
    await expect(b).rejects.toMatchObject({ code: 'AUTH_FORBIDDEN' });
    expect(outbox.size).toBe(1);
    outbox.rejectAll(new ChatError('CLIENT_CLOSED', 'closed'));
    await expect(c).rejects.toMatchObject({ code: 'CLIENT_CLOSED' });
    expect(outbox.size).toBe(0);
  });
});
