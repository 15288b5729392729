import type { Redis } from 'ioredis';
import type { RecentMessages } from './backplane.port.js';
import type { RedisKeys } from './redis-keys.js';
import { decodeFrame } from './redis-message-codec.js';
import { frameFromFields } from './redis-publish-script.js';

/**
 * Messages with seq > afterSeq from a destination's replay log, with its counter, read as one
 * snapshot (MULTI). Shared by both backplanes that keep the log in Redis.
 */
export async function readReplayLog(
  commands: Redis,
  keys: RedisKeys,
  destination: string,
  afterSeq: number,
  limit: number,
): Promise<RecentMessages> {
  const from = Math.max(0, Math.floor(afterSeq)) + 1;
  const replies = await commands
    .multi()
    .xrangeBuffer(keys.log(destination), `${from}-0`, '+', 'COUNT', Math.max(1, limit))
    .get(keys.sequence(destination))
    .exec();
  if (replies === null) throw new Error('readRecent: transaction aborted');
  const [[rangeError, entries], [seqError, seqText]] = replies as [
    [Error | null, Array<[Buffer, Buffer[]]>],
    [Error | null, string | null],
  ];
  if (rangeError !== null) throw rangeError;
  if (seqError !== null) throw seqError;
  const lastSeq = seqText === null ? 0 : Number(seqText);
  const all = entries.map(([, fields]) => decodeFrame(frameFromFields(fields)));
  // The log is contiguous and trimmed only from its old end: no gap iff it starts where asked,
  // or holds nothing newer because nothing newer exists.
  const complete = all.length > 0 ? all[0]!.seq === from : lastSeq < from;
  return { messages: limit > 0 ? all : [], complete, lastSeq };
}
