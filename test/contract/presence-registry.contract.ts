import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from '@jest/globals';
import type { PresenceRegistry, WentOffline } from '../../app/src/presence/presence-registry.port.js';
import type { PresenceTiming } from '../../app/src/presence/presence-timing.js';

/** Registries sharing one presence state, each standing for one service instance. */
export interface PresenceWorld {
  /** A registry for one more instance of the same cluster (not yet beating). */
  instance(): PresenceRegistry;
  close(): Promise<void>;
}

export type PresenceWorldFactory = (timing: PresenceTiming) => Promise<PresenceWorld>;

const TTL_MS = 600;
const GRACE_MS = 300;
/** Slack for timers and Redis round trips on a busy machine. */
const SLACK_MS = 150;

/**
 * What every PresenceRegistry must do, whatever stores it. Real time with short TTL and grace,
 * because the Redis registry reads Redis's clock.
 */
export function describePresenceRegistryContract(name: string, createWorld: PresenceWorldFactory): void {
  describe(`PresenceRegistry contract: ${name}`, () => {
    const worlds: PresenceWorld[] = [];
    const world = async (timing: Partial<PresenceTiming> = {}) => {
      const created = await createWorld({ ttlMs: TTL_MS, offlineGraceMs: GRACE_MS, ...timing });
      worlds.push(created);
      return created;
    };
    const beating = async (created: PresenceWorld) => {
      const registry = created.instance();
      await registry.heartbeat();
      return registry;
    };
    const session = (userId: string, username = `name-of-${userId}`) => ({
      userId,
      username,
      sessionId: randomUUID(),
      connectedAt: Date.now(),
    });
    const user = () => `user-${randomUUID()}`;
    const ids = (offline: readonly WentOffline[]) => offline.map((entry) => entry.userId);

    afterEach(async () => {
      await Promise.all(worlds.splice(0).map((created) => created.close()));
    });

    it('registers an instance on its first heartbeat and knows it afterwards', async () => {
      const registry = (await world()).instance();
      expect(await registry.heartbeat()).toBe(false);
      expect(await registry.heartbeat()).toBe(true);
    });

    it('refuses a session from an instance that never beat', async () => {
      const registry = (await world()).instance();
      const alice = user();
      expect(await registry.add(session(alice))).toBe('instance-unknown');
      expect(await registry.online([alice])).toEqual(new Set());
    });

    it("reports the first session anywhere as 'online', later ones as 'already-online'", async () => {
      const created = await world();
      const a = await beating(created);
      const b = await beating(created);
      const alice = user();
      expect(await a.add(session(alice))).toBe('online');
      expect(await a.add(session(alice))).toBe('already-online');
      expect(await b.add(session(alice))).toBe('already-online');
    });

    it('lists a user’s sessions on every instance with instance id, session id and connection time, oldest first', async () => {
      const created = await world();
      const a = await beating(created);
      const b = await beating(created);
      const alice = user();
      const first = { ...session(alice), connectedAt: 1_700_000_000_000 };
      const second = { ...session(alice), connectedAt: 1_700_000_000_500 };
      await b.add(second);
      await a.add(first);
      expect(await a.sessions(alice)).toEqual([
        { userId: alice, instanceId: a.instanceId, sessionId: first.sessionId, connectedAt: first.connectedAt },
        { userId: alice, instanceId: b.instanceId, sessionId: second.sessionId, connectedAt: second.connectedAt },
      ]);
      expect(await b.sessions(user())).toEqual([]);
    });

    it('answers which users have a live session anywhere, for many users at once', async () => {
      // Adding 1,167 sessions can outlast the short TTL on a loaded machine (both instances would
      // then count as dead); this case is about the bulk answer, not expiry.
      const created = await world({ ttlMs: 30_000 });
      const a = await beating(created);
      const b = await beating(created);
      const users = Array.from({ length: 2_500 }, () => user());
      const onA = users.filter((_, i) => i % 3 === 0);
      const onB = users.filter((_, i) => i % 5 === 0);
      await Promise.all([...onA.map((id) => a.add(session(id))), ...onB.map((id) => b.add(session(id)))]);
      expect(await a.online(users)).toEqual(new Set([...onA, ...onB]));
      expect(await b.online([])).toEqual(new Set());
    });

    it('keeps a user online while any session remains, on any instance', async () => {
      const created = await world();
      const a = await beating(created);
      const b = await beating(created);
      const alice = user();
      const onA = session(alice);
      await a.add(onA);
      await b.add(session(alice));
      await a.remove(alice, onA.sessionId);
      expect(await b.online([alice])).toEqual(new Set([alice]));
      await sleep(GRACE_MS + SLACK_MS);
      expect(await a.sweep()).toEqual([]);
    });

    it('announces a user offline once, after the grace period since their last session left', async () => {
      const created = await world();
      const a = await beating(created);
      const alice = user();
      const only = session(alice, 'alice');
      await a.add(only);
      await a.remove(alice, only.sessionId);
      expect(await a.online([alice])).toEqual(new Set());
      expect(await a.sweep()).toEqual([]);
      await sleep(GRACE_MS + SLACK_MS);
      expect(await a.sweep()).toEqual([{ userId: alice, username: 'alice' }]);
      expect(await a.sweep()).toEqual([]);
      // Coming back afterwards is a new "online".
      expect(await a.add(session(alice))).toBe('online');
    });

    it('does not flap: a user back within the grace period is neither offline nor newly online', async () => {
      const created = await world();
      const a = await beating(created);
      const b = await beating(created);
      const alice = user();
      const first = session(alice);
      expect(await a.add(first)).toBe('online');
      await a.remove(alice, first.sessionId);
      expect(await b.add(session(alice))).toBe('already-online');
      await sleep(GRACE_MS + SLACK_MS);
      expect(await a.sweep()).toEqual([]);
      expect(await b.sweep()).toEqual([]);
    });

    it('hands each offline user to exactly one of several concurrent sweeps', async () => {
      const created = await world();
      const instances = await Promise.all([0, 1, 2].map(() => beating(created)));
      const users = Array.from({ length: 20 }, () => user());
      for (const id of users) {
        const one = session(id);
        await instances[0]!.add(one);
        await instances[0]!.remove(id, one.sessionId);
      }
      await sleep(GRACE_MS + SLACK_MS);
      const swept = await Promise.all(instances.flatMap((registry) => [registry.sweep(), registry.sweep()]));
      const all = swept.flatMap(ids);
      expect(all.sort()).toEqual([...users].sort());
    });

    it('expires the sessions of an instance that stopped beating, and takes its users offline exactly once', async () => {
      const created = await world();
      const survivor = await beating(created);
      const other = await beating(created);
      const doomed = await beating(created);
      const alice = user();
      const bob = user();
      await doomed.add(session(alice, 'alice'));
      await doomed.add(session(bob, 'bob'));
      await survivor.add(session(bob, 'bob'));
      // The beat in flight is awaited before the world closes its connections under it.
      let lastBeat: Promise<unknown> = Promise.resolve();
      const keepBeating = setInterval(() => {
        lastBeat = survivor.heartbeat().then(() => other.heartbeat());
      }, TTL_MS / 4);
      try {
        await sleep(TTL_MS / 2);
        expect(await survivor.online([alice, bob])).toEqual(new Set([alice, bob]));
        // `doomed` beats no more; past its TTL its sessions are no longer live, swept or not.
        await sleep(TTL_MS / 2 + SLACK_MS);
        expect(await survivor.online([alice, bob])).toEqual(new Set([bob]));
        const swept = await Promise.all([survivor.sweep(), other.sweep(), survivor.sweep()]);
        expect(swept.flatMap((offline) => offline)).toEqual([{ userId: alice, username: 'alice' }]);
        expect(await survivor.sessions(bob)).toHaveLength(1);
        // The dead instance finds out on its next beat and must add its sessions again.
        expect(await doomed.heartbeat()).toBe(false);
      } finally {
        clearInterval(keepBeating);
        await lastBeat;
      }
    });

    it('keeps an instance alive past its TTL while it beats', async () => {
      const created = await world();
      const a = await beating(created);
      const alice = user();
      await a.add(session(alice));
      let lastBeat: Promise<unknown> = Promise.resolve();
      const keepBeating = setInterval(() => {
        lastBeat = a.heartbeat();
      }, TTL_MS / 4);
      try {
        await sleep(TTL_MS * 2);
        expect(await a.online([alice])).toEqual(new Set([alice]));
        expect(await a.sweep()).toEqual([]);
      } finally {
        clearInterval(keepBeating);
        await lastBeat;
      }
    });

    it('on graceful removal of an instance, starts its users’ grace period and keeps others online', async () => {
      const created = await world();
      const leaving = await beating(created);
      const staying = await beating(created);
      const alice = user();
      const bob = user();
      await leaving.add(session(alice, 'alice'));
      await leaving.add(session(alice, 'alice'));
      await leaving.add(session(bob, 'bob'));
      await staying.add(session(bob, 'bob'));
      await leaving.removeInstance();
      expect(await staying.online([alice, bob])).toEqual(new Set([bob]));
      expect(await staying.sweep()).toEqual([]);
      await sleep(GRACE_MS + SLACK_MS);
      expect(await staying.sweep()).toEqual([{ userId: alice, username: 'alice' }]);
      expect(await staying.sessions(alice)).toEqual([]);
      expect(await leaving.heartbeat()).toBe(false);
    });

    it('treats removing an unknown session as harmless', async () => {
      const created = await world();
      const a = await beating(created);
      const alice = user();
      await a.remove(alice, randomUUID());
      await sleep(GRACE_MS + SLACK_MS);
      // Never announced online, so never announced offline either.
      expect(await a.sweep()).toEqual([]);
    });
  });
}
