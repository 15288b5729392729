import { describe, expect, it } from '@jest/globals';
import { clusterSlot } from '../../../app/src/redis/redis-cluster-slots.js';
import { RedisKeys } from '../../../app/src/backplane/redis-keys.js';

/** The hash tag Redis Cluster hashes a name by: the text between the first `{` and the next `}`. */
function hashTag(name: string): string {
  const open = name.indexOf('{');
  const close = name.indexOf('}', open + 1);
  return open >= 0 && close > open + 1 ? name.slice(open + 1, close) : name;
}

describe('RedisKeys', () => {
  it('keeps the single-node layout unchanged when cluster mode is off', () => {
    const keys = new RedisKeys('chat:');
    expect(keys.sequence('/topic/rooms.1')).toBe('chat:{d:/topic/rooms.1}:seq');
    expect(keys.log('/topic/rooms.1')).toBe('chat:{d:/topic/rooms.1}:log');
    expect(keys.dedupe('/topic/rooms.1', 'k')).toBe('chat:{d:/topic/rooms.1}:dedupe:k');
    expect(keys.channel('/topic/rooms.1')).toBe('chat:{d:/topic/rooms.1}');
    expect(keys.persistStreamOf('/topic/rooms.1')).toBe('chat:{persist}:stream');
    expect(keys.persistStreams()).toEqual(['chat:{persist}:stream']);
    expect(keys.clustered).toBe(false);
  });

  it('in cluster mode puts everything one publish touches under its partition tag', () => {
    const keys = new RedisKeys('chat:', 16);
    for (const destination of ['/topic/rooms.1', '/topic/a}b{c', '/topic/ünï']) {
      const names = [
        keys.sequence(destination),
        keys.log(destination),
        keys.dedupe(destination, 'k'),
        keys.channel(destination),
        keys.persistStreamOf(destination),
      ];
      expect(new Set(names.map(hashTag))).toEqual(new Set([keys.partitionTags[keys.partitionOf(destination)]]));
    }
    expect(keys.persistStreams()).toHaveLength(16);
    expect(keys.persistStreams()).toContain(keys.persistStreamOf('/topic/rooms.1'));
  });

  it('spreads destinations over every partition, the same way in every instance', () => {
    const keys = new RedisKeys('chat:', 16);
    const partitions = Array.from({ length: 1_600 }, (_, i) => keys.partitionOf(`/topic/rooms.${i}`));
    const counts = new Map<number, number>();
    for (const partition of partitions) counts.set(partition, (counts.get(partition) ?? 0) + 1);
    expect(counts.size).toBe(16);
    for (const count of counts.values()) expect(count).toBeGreaterThan(50); // 100 each on average
    expect(new RedisKeys('other:', 16).partitionOf('/topic/rooms.7')).toBe(keys.partitionOf('/topic/rooms.7'));
  });

  it('gives partition k a tag in the k-th equal slot range, so shards with equal ranges get equal shares', () => {
    expect(clusterSlot('123456789')).toBe(0x31c3 % 16_384); // Redis's reference CRC16 value
    for (const partitions of [1, 3, 16, 256]) {
      const keys = new RedisKeys('chat:', partitions);
      const ranges = keys.partitionTags.map((tag) => Math.floor(clusterSlot(tag) / (16_384 / partitions)));
      expect(ranges).toEqual(Array.from({ length: partitions }, (_, k) => k));
    }
  });
});
