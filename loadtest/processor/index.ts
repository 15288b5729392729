/**
 * Artillery processor: the `function` steps the scenarios in ../scenarios call. Artillery
 * bundles this file (and @stomp/stompjs, ws) with esbuild, locally and for run-fargate.
 */
import { isSender } from './vu-settings.js';
import { RoomMember, sleep } from './room-member.js';
import { artilleryStep, whileAlive } from './virtual-user.js';

/** Connect storm: log in, open a session, hold it, leave. */
export const connectStorm = artilleryStep(async (user) => {
  await user.login();
  const link = await user.connect();
  await whileAlive(link, sleep(user.settings.holdSeconds * 1_000));
  await link.close();
});

/**
 * Room chat and big-room fan-out: subscribe with a receipt, wait for the room to fill, send
 * at the scenario's rate with receipts (senders only), stay to receive, then count what was
 * delivered against the x-seq span watched.
 */
export const roomChat = artilleryStep(async (user) => {
  const { settings } = user;
  await user.login();
  const link = await user.connect();
  const member = new RoomMember(settings.roomId, user.metrics);
  try {
    await whileAlive(link, member.join(link));
    await whileAlive(link, sleep(settings.warmupSeconds * 1_000));
    const rate = isSender(settings) ? settings.sendRate : 0;
    await whileAlive(link, member.sendFor(link, rate, settings.sendSeconds));
    await whileAlive(link, sleep(settings.drainSeconds * 1_000));
  } finally {
    member.flushLedger();
  }
  await link.close();
});

/**
 * Reconnect-and-resume storm: every member sends while it is connected, drops its socket
 * without DISCONNECT `drops` times, and resumes with x-since-seq; the ledger spans all
 * sessions, so a replay that loses or repeats a message shows as a gap or duplicate.
 */
export const resumeStorm = artilleryStep(async (user) => {
  const { settings } = user;
  await user.login();
  const member = new RoomMember(settings.roomId, user.metrics);
  const rate = isSender(settings) ? settings.sendRate : 0;
  const cycleSeconds = settings.sendSeconds / (settings.drops + 1);
  try {
    for (let cycle = 0; cycle <= settings.drops; cycle++) {
      const link = await user.connect();
      await whileAlive(link, member.join(link));
      if (cycle === 0) await whileAlive(link, sleep(settings.warmupSeconds * 1_000));
      // Jitter so that a room's members do not all drop at the same instant.
      await whileAlive(link, member.sendFor(link, rate, cycleSeconds * (0.8 + Math.random() * 0.4)));
      if (cycle === settings.drops) {
        await whileAlive(link, sleep(settings.drainSeconds * 1_000));
        await link.close();
      } else {
        link.drop();
        await sleep(settings.reconnectDelayMs);
      }
    }
  } finally {
    member.flushLedger();
  }
});
