import { describe, expect, it } from '@jest/globals';
import { LocalPresenceRegistry, LocalPresenceState } from '../../../app/src/presence/local-presence-registry.js';
import type { PresenceStatus } from '../../../app/src/presence/presence-event.js';
import type { PresenceRegistry } from '../../../app/src/presence/presence-registry.port.js';
import { PresenceTracker } from '../../../app/src/presence/presence-tracker.js';

const TTL_MS = 30_000;
const GRACE_MS = 5_000;
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** A tracker over the in-process registry with a hand-driven clock; timers never fire (hour-long). */
async function setup(wrap: (registry: PresenceRegistry) => PresenceRegistry = (registry) => registry) {
  let now = 1_000_000;
  const state = new LocalPresenceState({ ttlMs: TTL_MS, offlineGraceMs: GRACE_MS }, () => now);
  const registry = new LocalPresenceRegistry(state, 'instance-a');
  const announced: Array<[string, PresenceStatus]> = [];
  const tracker = new PresenceTracker(wrap(registry), {
    heartbeatIntervalMs: 3_600_000,
    sweepIntervalMs: 3_600_000,
    announce: async (user, status) => {
      announced.push([user.username, status]);
    },
    log: quiet,
  });
  await tracker.start();
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return {
    state,
    registry,
    tracker,
    announced,
    settle,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

const session = (id: string, user: string) => ({ id, userId: `id-${user}`, username: user });

describe('PresenceTracker', () => {
  it('announces the first session online and the last one offline after the grace period', async () => {
    const { tracker, announced, settle, advance } = await setup();
    tracker.listener.connected!(session('s1', 'alice'));
    tracker.listener.connected!(session('s2', 'alice'));
    await settle();
    expect(announced).toEqual([['alice', 'online']]);
    tracker.listener.closed!(session('s1', 'alice'));
    tracker.listener.closed!(session('s2', 'alice'));
    await settle();
    advance(GRACE_MS - 1);
    await tracker.sweep();
    expect(announced).toEqual([['alice', 'online']]);
    advance(1);
    await tracker.sweep();
    expect(announced).toEqual([
      ['alice', 'online'],
      ['alice', 'offline'],
    ]);
  });

  it('ignores sessions that never got a user (closed before CONNECT)', async () => {
    const { tracker, announced, settle } = await setup();
    tracker.listener.connected!({ id: 's1', userId: undefined, username: undefined });
    tracker.listener.closed!({ id: 's1', userId: undefined, username: undefined });
    await settle();
    expect(announced).toEqual([]);
  });

  it('adds its sessions again after the registry declared the instance dead', async () => {
    const { tracker, registry, state, announced, settle, advance } = await setup();
    tracker.listener.connected!(session('s1', 'alice'));
    await settle();
    // A pause longer than the TTL: another instance reaps this one and announces alice offline.
    advance(TTL_MS + 1);
    const other = new LocalPresenceRegistry(state, 'instance-b');
    await other.heartbeat();
    expect(await other.sweep()).toEqual([{ userId: 'id-alice', username: 'alice' }]);
    await tracker.beat();
    await settle();
    expect(await registry.online(['id-alice'])).toEqual(new Set(['id-alice']));
    expect(announced).toEqual([
      ['alice', 'online'],
      ['alice', 'online'],
    ]);
  });

  it('retries a failed add and a failed removal on the next heartbeat', async () => {
    let failing = true;
    const { tracker, registry, settle, advance } = await setup((inner) => ({
      instanceId: inner.instanceId,
      heartbeat: () => inner.heartbeat(),
      add: (added) => (failing ? Promise.reject(new Error('redis down')) : inner.add(added)),
      remove: (userId, sessionId) =>
        failing ? Promise.reject(new Error('redis down')) : inner.remove(userId, sessionId),
      sweep: () => inner.sweep(),
      online: (ids) => inner.online(ids),
      sessions: (userId) => inner.sessions(userId),
      removeInstance: () => inner.removeInstance(),
      close: () => inner.close(),
    }));
    tracker.listener.connected!(session('s1', 'alice'));
    tracker.listener.connected!(session('s2', 'bob'));
    await settle();
    expect(await registry.online(['id-alice', 'id-bob'])).toEqual(new Set());
    failing = false;
    await tracker.beat();
    expect(await registry.online(['id-alice', 'id-bob'])).toEqual(new Set(['id-alice', 'id-bob']));

    failing = true;
    tracker.listener.closed!(session('s2', 'bob'));
    await settle();
    expect(await registry.online(['id-bob'])).toEqual(new Set(['id-bob']));
    failing = false;
    await tracker.beat();
    expect(await registry.online(['id-bob'])).toEqual(new Set());
    advance(GRACE_MS);
    expect(await registry.sweep()).toEqual([{ userId: 'id-bob', username: 'bob' }]);
  });

  it('removes the instance on stop and no longer follows sessions', async () => {
    const { tracker, registry, settle, advance } = await setup();
    tracker.listener.connected!(session('s1', 'alice'));
    await settle();
    await tracker.stop();
    expect(await registry.online(['id-alice'])).toEqual(new Set());
    tracker.listener.connected!(session('s2', 'bob'));
    await settle();
    expect(await registry.online(['id-bob'])).toEqual(new Set());
    advance(GRACE_MS);
    expect(await registry.sweep()).toEqual([{ userId: 'id-alice', username: 'alice' }]);
  });
});
