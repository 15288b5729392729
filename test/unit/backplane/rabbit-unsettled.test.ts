import { describe, expect, it } from '@jest/globals';
import type { Message } from 'amqplib';
import { UnsettledDeliveries } from '../../../app/src/backplane/rabbit-unsettled.js';

/** Deliveries with tags 1..n, as one channel hands them out. */
function delivered(n: number): { unsettled: UnsettledDeliveries; tags: Message[] } {
  const unsettled = new UnsettledDeliveries();
  const tags = Array.from({ length: n }, (_, i) => ({ fields: { deliveryTag: i + 1 } }) as unknown as Message);
  for (const delivery of tags) unsettled.add(delivery);
  return { unsettled, tags };
}

const tagOf = (delivery: Message | undefined) => delivery?.fields.deliveryTag;

describe('UnsettledDeliveries', () => {
  it('acknowledges a batch of the oldest deliveries with one multiple ack', () => {
    const { unsettled, tags } = delivered(5);
    const plan = unsettled.settle(tags.slice(0, 3));
    expect(tagOf(plan.upTo)).toBe(3);
    expect(plan.single).toEqual([]);
    expect(unsettled.size).toBe(2);
  });

  it('never covers an older delivery outside the batch: the rest go one by one', () => {
    const { unsettled, tags } = delivered(6);
    // 3 is held by another read (or undecodable): 1-2 together, 4 and 5 singly.
    const plan = unsettled.settle([tags[0]!, tags[1]!, tags[3]!, tags[4]!]);
    expect(tagOf(plan.upTo)).toBe(2);
    expect(plan.single.map(tagOf)).toEqual([4, 5]);
    expect(unsettled.size).toBe(2);
    // Once 3 is settled, 6 is the oldest and goes alone.
    expect(unsettled.settle([tags[2]!]).single.map(tagOf)).toEqual([3]);
    expect(unsettled.settle([tags[5]!]).single.map(tagOf)).toEqual([6]);
    expect(unsettled.size).toBe(0);
  });

  it('uses single acks for a batch of one and after a returned delivery is removed', () => {
    const { unsettled, tags } = delivered(3);
    unsettled.remove(tags[0]!); // nacked back to the queue
    expect(unsettled.settle([tags[1]!]).upTo).toBeUndefined();
    expect(tagOf(unsettled.settle([tags[2]!]).single[0])).toBe(3);
  });
});
