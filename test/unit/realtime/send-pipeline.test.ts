import { describe, expect, it } from '@jest/globals';
import type { OutgoingMessage, PublishOptions } from '../../../app/src/backplane/backplane.port.js';
import { AppError } from '../../../app/src/errors/app-error.js';
import { MAX_SENDS_IN_FLIGHT, SendPipeline } from '../../../app/src/realtime/send-pipeline.js';
import { SessionHarness, settle } from '../../support/session-harness.js';

/** A SEND the test finishes by hand; `ordered` says whether it is put in order before that. */
function manual(ordered: boolean) {
  let finish!: (value: string) => void;
  let fail!: (error: Error) => void;
  const done = new Promise<string>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const start = (inOrder: () => void) => {
    if (ordered) inOrder();
    return done;
  };
  return { start, finish, fail };
}

/** Whether `promise` has settled once the queued callbacks ran. */
async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await settle();
  return settled;
}

describe('SendPipeline', () => {
  it('lets the next SEND start once one is in order, and applies the outcomes in frame order', async () => {
    const pipeline = new SendPipeline();
    const applied: string[] = [];
    const first = manual(true);
    const second = manual(true);
    expect(
      await isSettled(
        pipeline.add(
          first.start,
          (r) => applied.push(r),
          () => {},
        ),
      ),
    ).toBe(true);
    expect(
      await isSettled(
        pipeline.add(
          second.start,
          (r) => applied.push(r),
          () => {},
        ),
      ),
    ).toBe(true);
    second.finish('second');
    await settle();
    expect(applied).toEqual([]);
    first.finish('first');
    await settle();
    expect(applied).toEqual(['first', 'second']);
    expect(pipeline.drained()).toBeUndefined();
  });

  it('holds the next frame until a SEND that is not put in order early is done', async () => {
    const pipeline = new SendPipeline();
    const app = manual(false);
    const next = pipeline.add(
      app.start,
      () => {},
      () => {},
    );
    expect(await isSettled(next)).toBe(false);
    app.finish('done');
    expect(await isSettled(next)).toBe(true);
  });

  it('reports the first failure once and applies nothing after it', async () => {
    const pipeline = new SendPipeline();
    const applied: string[] = [];
    const failures: unknown[] = [];
    const first = manual(true);
    const second = manual(true);
    void pipeline.add(
      first.start,
      (r) => applied.push(r),
      (e) => failures.push(e),
    );
    void pipeline.add(
      second.start,
      (r) => applied.push(r),
      (e) => failures.push(e),
    );
    second.finish('second');
    first.fail(new Error('no confirm'));
    await settle();
    expect(failures).toEqual([new Error('no confirm')]);
    expect(applied).toEqual([]);
  });

  it(`keeps at most ${MAX_SENDS_IN_FLIGHT} SENDs in flight`, async () => {
    const pipeline = new SendPipeline();
    const sends = Array.from({ length: MAX_SENDS_IN_FLIGHT }, () => manual(true));
    const gates = sends.map((send) =>
      pipeline.add(
        send.start,
        () => {},
        () => {},
      ),
    );
    expect(await isSettled(gates[MAX_SENDS_IN_FLIGHT - 2]!)).toBe(true);
    expect(await isSettled(gates[MAX_SENDS_IN_FLIGHT - 1]!)).toBe(false);
    for (const send of sends) send.finish('ok');
    expect(await isSettled(gates[MAX_SENDS_IN_FLIGHT - 1]!)).toBe(true);
  });
});

describe('StompSession: SENDs awaiting their durability', () => {
  it('carries out one SEND at a time on a backplane that is done when it has ordered', async () => {
    const harness = new SessionHarness();
    const client = await harness.connected();
    const pending: Array<() => void> = [];
    const publish = harness.backplane.publish.bind(harness.backplane);
    harness.backplane.publish = async (message: OutgoingMessage, options?: PublishOptions) => {
      await new Promise<void>((resolve) => pending.push(resolve));
      return publish(message, options);
    };
    await client.send('SEND', send('r1'), 'one');
    await client.send('SEND', send('r2'), 'two');
    expect(pending).toHaveLength(1);
    pending[0]!();
    await settle();
    expect(pending).toHaveLength(2);
    pending[1]!();
    await settle();
    expect(client.socket.of('RECEIPT').map((frame) => frame.headers.get('receipt-id'))).toEqual(['r1', 'r2']);
  });

  /** Publishes put in order at once, each done when the test releases it (a confirm pending). */
  function confirmsByHand(harness: SessionHarness) {
    const pending: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
    const publish = harness.backplane.publish.bind(harness.backplane);
    Object.assign(harness.backplane, { ordersBeforeDone: true });
    harness.backplane.publish = async (message: OutgoingMessage, options?: PublishOptions) => {
      const published = await publish(message, options);
      options?.onOrdered?.();
      await new Promise<void>((resolve, reject) => pending.push({ resolve, reject }));
      return published;
    };
    return pending;
  }

  const send = (receipt: string): Array<[string, string]> => [
    ['destination', '/topic/a'],
    ['receipt', receipt],
  ];

  it('publishes later SENDs meanwhile and returns the RECEIPTs in frame order; DISCONNECT waits for them', async () => {
    const harness = new SessionHarness();
    const pending = confirmsByHand(harness);
    const client = await harness.connected();
    await client.send('SEND', send('r1'), 'one');
    await client.send('SEND', send('r2'), 'two');
    await client.send('DISCONNECT', [['receipt', 'bye']]);
    expect(pending).toHaveLength(2);
    expect(client.socket.of('RECEIPT')).toHaveLength(0);
    pending[1]!.resolve();
    await settle();
    expect(client.socket.of('RECEIPT')).toHaveLength(0);
    pending[0]!.resolve();
    await settle();
    const receipts = client.socket.of('RECEIPT').map((frame) => frame.headers.get('receipt-id'));
    expect(receipts).toEqual(['r1', 'r2', 'bye']);
    expect(client.socket.closedWith?.code).toBe(1000);
  });

  it('answers a SEND that fails after it was put in order with its ERROR, and later SENDs get no RECEIPT', async () => {
    const harness = new SessionHarness();
    const pending = confirmsByHand(harness);
    const client = await harness.connected();
    await client.send('SEND', send('r1'), 'one');
    await client.send('SEND', send('r2'), 'two');
    pending[1]!.resolve();
    pending[0]!.reject(new AppError('BACKPLANE_UNAVAILABLE', 'message broker unavailable: no confirm'));
    await settle();
    expect(client.error).toMatchObject({ code: 'BACKPLANE_UNAVAILABLE', receiptId: 'r1' });
    expect(client.socket.of('RECEIPT')).toHaveLength(0);
    expect(client.socket.closedWith?.code).toBe(1013);
  });
});
