/**
 * Loads spread over several destinations ("rooms"), so that in Redis Cluster mode their keys and
 * channels land in different partitions and so on different shards. Connection i (subscriber or
 * publisher, by its global index) uses room i mod rooms: every publisher stays on one room, so a
 * subscriber still sees each of its room's publishers' sequence without gaps.
 */
export function roomOf(base: string, connectionIndex: number, rooms: number | undefined): string {
  return rooms === undefined || rooms <= 1 ? base : `${base}.r${connectionIndex % rooms}`;
}

/** The client-topic patterns a benchmarked server opens: the one topic and its rooms. */
export function benchTopicPatterns(base: string): string {
  return `${base},${base}.**`;
}
