/** Redis Cluster's slot count: a key's slot is CRC16(hash tag) mod this. */
export const CLUSTER_SLOTS = 16_384;

/** The hash slot Redis Cluster puts a hash tag's keys in (CRC16-CCITT/XMODEM, as Redis computes it). */
export function clusterSlot(tag: string): number {
  let crc = 0;
  for (const byte of Buffer.from(tag, 'utf8')) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc % CLUSTER_SLOTS;
}

/** A text's partition: FNV-1a of its UTF-8 bytes mod `partitions`, so every instance and version agrees. */
export function partitionOf(text: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash % partitions;
}

/**
 * One hash tag per partition, partition k's tag hashing into the k-th of `partitions` equal slot
 * ranges. ElastiCache (and `redis-cli --cluster create`) give each shard a contiguous, equal
 * range of slots, so the partitions spread evenly over any shard count dividing `partitions`;
 * plain tags `p:0`…`p:15` had put 10 of 16 partitions on one of 3 shards.
 *
 * Deterministic (every instance and version computes the same tags): the first `p<k>.<n>` whose
 * slot is in range, about `CLUSTER_SLOTS / width` tries each.
 */
export function balancedPartitionTags(partitions: number): string[] {
  const width = CLUSTER_SLOTS / partitions;
  return Array.from({ length: partitions }, (_, partition) => {
    for (let attempt = 0; ; attempt++) {
      const tag = `p${partition}.${attempt}`;
      if (Math.floor(clusterSlot(tag) / width) === partition) return tag;
    }
  });
}
