import { describe, expect, it } from '@jest/globals';
import { SessionHarness } from '../../support/session-harness.js';

const publish = (harness: SessionHarness, destination: string, body: string) =>
  harness.backplane.publish({ destination, headers: [], body: Buffer.from(body) });

describe('SUBSCRIBE with x-since-seq (resume)', () => {
  it('replays exactly what was missed, marks it, then continues live', async () => {
    const harness = new SessionHarness();
    for (let n = 1; n <= 5; n++) await publish(harness, '/topic/r', `m${n}`);
    const client = await harness.connected();
    await client.send('SUBSCRIBE', [
      ['id', 's'],
      ['destination', '/topic/r'],
      ['x-since-seq', '2'],
      ['receipt', 'resumed'],
    ]);
    await publish(harness, '/topic/r', 'm6');
    const messages = client.socket.of('MESSAGE');
    expect(messages.map((m) => m.body.toString())).toEqual(['m3', 'm4', 'm5', 'm6']);
    expect(messages.map((m) => m.headers.get('x-seq'))).toEqual(['3', '4', '5', '6']);
    expect(messages.map((m) => m.headers.get('x-replayed'))).toEqual(['true', 'true', 'true', undefined]);
    const receipt = client.socket.of('RECEIPT')[0]!;
    expect(receipt.headers.get('receipt-id')).toBe('resumed');
    expect(receipt.headers.get('x-replay')).toBe('complete');
    expect(receipt.headers.get('x-replay-count')).toBe('3');
    expect(receipt.headers.get('x-last-seq')).toBe('5');
  });

  it('has no gap and no duplicate when messages are published while the replay is read', async () => {
    const harness = new SessionHarness();
    for (let n = 1; n <= 3; n++) await publish(harness, '/topic/r', `m${n}`);
    const readRecent = harness.backplane.readRecent.bind(harness.backplane);
    harness.backplane.readRecent = async (destination, afterSeq, limit) => {
      // Live traffic lands between the subscription going live and the log being read…
      await publish(harness, '/topic/r', 'm4');
      const recent = await readRecent(destination, afterSeq, limit);
      // …and after it was read.
      await publish(harness, '/topic/r', 'm5');
      return recent;
    };
    const client = await harness.connected();
    await client.send('SUBSCRIBE', [
      ['id', 's'],
      ['destination', '/topic/r'],
      ['x-since-seq', '1'],
    ]);
    expect(client.socket.of('MESSAGE').map((m) => m.headers.get('x-seq'))).toEqual(['2', '3', '4', '5']);
  });

  it('drops what the replay sent when live delivery, behind the log, brings it afterwards', async () => {
    const harness = new SessionHarness();
    for (let n = 1; n <= 3; n++) await publish(harness, '/topic/r', `m${n}`);
    // Live delivery lags the log, as on a broker whose gate is still repairing a hole: the
    // messages reach the session only after its replay has read them from the log.
    const lagging: Array<() => void> = [];
    let lag = true;
    const subscribe = harness.backplane.subscribe.bind(harness.backplane);
    harness.backplane.subscribe = (destination, listener) =>
      subscribe(destination, (message) => (lag ? lagging.push(() => listener(message)) : listener(message)));
    const readRecent = harness.backplane.readRecent.bind(harness.backplane);
    harness.backplane.readRecent = async (destination, afterSeq, limit) => {
      for (const body of ['m4', 'm5']) await publish(harness, '/topic/r', body);
      return readRecent(destination, afterSeq, limit);
    };
    const client = await harness.connected();
    await client.send('SUBSCRIBE', [
      ['id', 's'],
      ['destination', '/topic/r'],
      ['x-since-seq', '1'],
    ]);
    lag = false;
    for (const late of lagging.splice(0)) late();
    await publish(harness, '/topic/r', 'm6');
    expect(client.socket.of('MESSAGE').map((m) => m.headers.get('x-seq'))).toEqual(['2', '3', '4', '5', '6']);
  });

  it('says so when history no longer reaches back, replaying only what is left', async () => {
    const harness = new SessionHarness({}, 3);
    for (let n = 1; n <= 10; n++) await publish(harness, '/topic/r', `m${n}`);
    const client = await harness.connected();
    await client.send('SUBSCRIBE', [
      ['id', 's'],
      ['destination', '/topic/r'],
      ['x-since-seq', '2'],
      ['receipt', 'r'],
    ]);
    const messages = client.socket.of('MESSAGE');
    expect(messages.map((m) => m.headers.get('x-seq'))).toEqual(['8', '9', '10']);
    expect(messages[0]!.headers.get('x-replay')).toBe('truncated');
    expect(client.socket.of('RECEIPT')[0]!.headers.get('x-replay')).toBe('truncated');
  });

  it('replays nothing for a client that is up to date', async () => {
    const harness = new SessionHarness();
    await publish(harness, '/topic/r', 'm1');
    const client = await harness.connected();
    await client.send('SUBSCRIBE', [
      ['id', 's'],
      ['destination', '/topic/r'],
      ['x-since-seq', '1'],
      ['receipt', 'r'],
    ]);
    expect(client.socket.of('MESSAGE')).toHaveLength(0);
    expect(client.socket.of('RECEIPT')[0]!.headers.get('x-replay')).toBe('complete');
  });

  it('refuses a malformed x-since-seq', async () => {
    const client = await new SessionHarness().connected();
    await client.send('SUBSCRIBE', [
      ['id', 's'],
      ['destination', '/topic/r'],
      ['x-since-seq', '-1'],
    ]);
    expect(client.error.code).toBe('PROTOCOL_BAD_HEADER');
  });
});
