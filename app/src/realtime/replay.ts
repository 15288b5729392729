import type { Backplane, PublishedMessage } from '../backplane/backplane.port.js';

const PAGE = 500;

export interface MissedMessages {
  /** Oldest first, contiguous up to `lastSeq` as of the read. */
  readonly messages: readonly PublishedMessage[];
  /** False when the first messages after `afterSeq` are gone (trimmed, or more than `max` were missed). */
  readonly complete: boolean;
  readonly lastSeq: number;
}

/**
 * Reads what a resuming subscriber missed after `afterSeq`, at most the newest `max` messages,
 * so that the gap (if any) is always at the start, where the client can fill it from history.
 */
export async function readMissed(
  backplane: Backplane,
  destination: string,
  afterSeq: number,
  max: number,
): Promise<MissedMessages> {
  const first = await backplane.readRecent(destination, afterSeq, PAGE);
  let from = afterSeq;
  let complete = first.complete;
  let page = first;
  if (first.lastSeq - afterSeq > max) {
    // Too far behind to replay all: skip ahead and report the gap.
    from = first.lastSeq - max;
    complete = false;
    page = await backplane.readRecent(destination, from, PAGE);
  }
  const messages: PublishedMessage[] = [...page.messages];
  let lastSeq = page.lastSeq;
  while (page.messages.length === PAGE && messages.length < max) {
    page = await backplane.readRecent(destination, messages.at(-1)!.seq, PAGE);
    messages.push(...page.messages);
    lastSeq = page.lastSeq;
  }
  return { messages, complete, lastSeq: Math.max(lastSeq, from) };
}
