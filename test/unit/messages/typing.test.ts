import { describe, expect, it } from '@jest/globals';
import { TypingHandler } from '../../../app/src/messages/typing.handler.js';
import { SessionHarness } from '../../support/session-harness.js';

describe('typing indicators', () => {
  const setup = async () => {
    const harness = new SessionHarness();
    let now = 0;
    harness.context.routes.send('/app/rooms.{roomId}.typing', new TypingHandler(harness.backplane, () => now).handle);
    const watcher = await harness.connected('watcher');
    const typist = await harness.connected('typist');
    await watcher.send('SUBSCRIBE', [
      ['id', 't'],
      ['destination', '/topic/rooms.r1.typing'],
    ]);
    return { harness, watcher, typist, advance: (ms: number) => (now += ms) };
  };

  it('broadcasts an ephemeral event with who is typing and when it expires', async () => {
    const { watcher, typist } = await setup();
    await typist.send('SEND', [['destination', '/app/rooms.r1.typing']]);
    const [message] = watcher.socket.of('MESSAGE');
    expect(message?.headers.has('x-seq')).toBe(false);
    expect(JSON.parse(message!.body.toString())).toEqual({
      type: 'typing',
      roomId: 'r1',
      userId: 'dev:typist',
      username: 'typist',
      typing: true,
      expiresInMs: 5000,
    });
  });

  it('drops repeats within the interval without an error, and lets them through after it', async () => {
    const { watcher, typist, advance } = await setup();
    for (let i = 0; i < 5; i++) await typist.send('SEND', [['destination', '/app/rooms.r1.typing']]);
    expect(watcher.socket.of('MESSAGE')).toHaveLength(1);
    expect(typist.session.isOpen).toBe(true);
    advance(1_000);
    await typist.send('SEND', [['destination', '/app/rooms.r1.typing']]);
    expect(watcher.socket.of('MESSAGE')).toHaveLength(2);
  });

  it('always passes on "stopped typing"', async () => {
    const { watcher, typist } = await setup();
    await typist.send('SEND', [['destination', '/app/rooms.r1.typing']]);
    await typist.send('SEND', [['destination', '/app/rooms.r1.typing']], '{"typing":false}');
    const events = watcher.socket.of('MESSAGE').map((m) => JSON.parse(m.body.toString()));
    expect(events.map((e) => e.typing)).toEqual([true, false]);
  });

  it('is not kept for replay', async () => {
    const { harness, typist } = await setup();
    await typist.send('SEND', [['destination', '/app/rooms.r1.typing']]);
    const recent = await harness.backplane.readRecent('/topic/rooms.r1.typing', 0, 10);
    expect(recent.messages).toHaveLength(0);
  });
});
