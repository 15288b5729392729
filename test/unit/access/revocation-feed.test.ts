import { describe, expect, it } from '@jest/globals';
import { RevocationFeed, type RevocationSource } from '../../../app/src/access/revocation-feed.js';
import type { Revocation } from '../../../app/src/revocations/revocation-log.js';

const config = { pollIntervalMs: 1_000, lookbackMs: 60_000, retentionMs: 3_600_000 };
const revocation = (id: string, createdAt: number): Revocation => ({
  id,
  kind: 'user',
  userId: `u-${id}`,
  roomId: null,
  reason: 'logout',
  createdAt: new Date(createdAt),
});

class Rows implements RevocationSource {
  rows: Revocation[] = [];
  failing = false;
  async createdSince(since: Date): Promise<Revocation[]> {
    if (this.failing) throw new Error('database down');
    return this.rows.filter((row) => row.createdAt.getTime() >= since.getTime());
  }
  async prune(): Promise<number> {
    return 0;
  }
}

describe('RevocationFeed', () => {
  it('applies each revocation once, whether it came over Redis first or from the database', async () => {
    let now = 1_000_000;
    const rows = new Rows();
    const applied: string[] = [];
    const feed = new RevocationFeed(rows, config, {
      apply: (r) => applied.push(r.id),
      onError: () => {},
      now: () => now,
    });
    const first = revocation('a', now);
    feed.offer(first);
    rows.rows.push(first, revocation('b', now + 5));
    await feed.poll();
    await feed.poll();
    expect(applied).toEqual(['a', 'b']);
    // A row whose transaction committed late (older created_at than what was already read) is still seen.
    rows.rows.push(revocation('late', now - 30_000));
    now += 1_000;
    await feed.poll();
    expect(applied).toEqual(['a', 'b', 'late']);
  });

  it('rejects a poll when the database cannot be read, so a re-check knows it failed', async () => {
    const rows = new Rows();
    rows.failing = true;
    const errors: string[] = [];
    const feed = new RevocationFeed(rows, config, { apply: () => {}, onError: (what) => errors.push(what) });
    await expect(feed.poll()).rejects.toThrow('database down');
    expect(errors).toEqual(['reading revocations']);
  });
});
