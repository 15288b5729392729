import type { Backplane } from '../backplane/backplane.port.js';
import { AppError } from '../errors/app-error.js';
import type { StompHeaders } from '../stomp/frame.js';
import type { PreparedMessage } from '../stomp/prepared-message.js';
import type { SubscribeTarget } from './destination-routes.js';
import { readMissed } from './replay.js';
import type { Subscription } from './subscription.js';
import { prepareTopicMessage } from './topic-fanout.js';

/** Live messages held per resuming subscription before the client counts as a slow consumer. */
const MAX_HELD_DURING_REPLAY = 10_000;
/** The most a resuming subscriber gets replayed; older gaps are reported, to be read from history. */
const MAX_REPLAY = 1_000;

/**
 * The seq a SUBSCRIBE resumes after (its `x-since-seq`), or undefined when it does not resume.
 * Only topics are sequenced, so only they resume.
 */
export function sinceSeqOf(headers: StompHeaders, targetKind: SubscribeTarget['kind']): number | undefined {
  const since = headers.get('x-since-seq');
  if (since === undefined) return undefined;
  if (targetKind !== 'topic' || !/^\d{1,15}$/.test(since)) {
    throw new AppError(
      'PROTOCOL_BAD_HEADER',
      'x-since-seq must be a non-negative integer (the last x-seq you received), on a /topic/ destination',
    );
  }
  return Number(since);
}

/** Live messages that arrive while a resuming subscription is still replaying what it missed. */
interface HeldLive {
  readonly message: PreparedMessage;
  readonly messageId: string;
  readonly seq: number;
}

/**
 * What a live message met: no replay running (deliver it now), held for later, one too many, or
 * already sent by a finished replay (drop it).
 */
export type HoldOutcome = 'live' | 'held' | 'overflow' | 'replayed';

export interface ReplayOutcome {
  readonly complete: boolean;
  readonly count: number;
  readonly lastSeq: number;
}

/** Where a replay goes: one session's subscription, while that session is still connected. */
export interface ReplaySink {
  isConnected(): boolean;
  deliver(message: PreparedMessage, messageId: string): void;
}

/**
 * One session's resuming subscriptions. A resuming subscription holds live messages back until
 * the replay is out, so the client sees one gap-free, duplicate-free sequence.
 */
export class ReplayHolds {
  private readonly held = new Map<Subscription, HeldLive[]>();
  /**
   * The last seq a finished replay delivered, per subscription. The replay reads the log, which
   * can be ahead of the backplane's live delivery (a hole being repaired after another instance
   * died), so those seqs may still arrive live afterwards.
   */
  private readonly replayedUpTo = new Map<Subscription, number>();

  /** From now on, live messages for `subscription` wait for its replay. */
  start(subscription: Subscription): void {
    this.held.set(subscription, []);
  }

  /** The subscription is gone (failed, unsubscribed): drop what it held. */
  cancel(subscription: Subscription): void {
    this.held.delete(subscription);
    this.replayedUpTo.delete(subscription);
  }

  /** The session is gone: nothing held is delivered any more. */
  clear(): void {
    this.held.clear();
    this.replayedUpTo.clear();
  }

  hold(subscription: Subscription, message: PreparedMessage, messageId: string, seq: number): HoldOutcome {
    const held = this.held.get(subscription);
    if (held === undefined) return this.afterReplay(subscription, seq);
    if (held.length >= MAX_HELD_DURING_REPLAY) return 'overflow';
    held.push({ message, messageId, seq });
    return 'held';
  }

  /** Replays what the subscription missed after `sinceSeq`, then releases the held live messages. */
  async replay(
    backplane: Backplane,
    subscription: Subscription,
    sinceSeq: number,
    sink: ReplaySink,
  ): Promise<ReplayOutcome> {
    const missed = await readMissed(backplane, subscription.destination, sinceSeq, MAX_REPLAY);
    let lastSeq = sinceSeq;
    for (const [index, message] of missed.messages.entries()) {
      if (!sink.isConnected()) break;
      const flags: Array<[string, string]> = [['x-replayed', 'true']];
      if (index === 0 && !missed.complete) flags.push(['x-replay', 'truncated']);
      sink.deliver(prepareTopicMessage(message, flags), message.id);
      lastSeq = message.seq;
    }
    const held = this.held.get(subscription) ?? [];
    this.held.delete(subscription);
    for (const live of held) {
      // Whatever the replay already covered came in live too: skip it.
      if (live.seq > lastSeq || live.seq === 0) {
        sink.deliver(live.message, live.messageId);
        if (live.seq > 0) lastSeq = live.seq;
      }
    }
    if (lastSeq > sinceSeq && sink.isConnected()) this.replayedUpTo.set(subscription, lastSeq);
    return { complete: missed.complete, count: missed.messages.length, lastSeq: Math.max(lastSeq, missed.lastSeq) };
  }

  private afterReplay(subscription: Subscription, seq: number): HoldOutcome {
    const replayed = this.replayedUpTo.get(subscription);
    if (replayed === undefined || seq === 0) return 'live';
    if (seq <= replayed) return 'replayed';
    this.replayedUpTo.delete(subscription); // live is past the replay; later seqs are higher still
    return 'live';
  }
}

/** The RECEIPT headers that tell a resuming client how its replay went. */
export function replayReceiptHeaders(outcome: ReplayOutcome): Array<[string, string]> {
  return [
    ['x-replay', outcome.complete ? 'complete' : 'truncated'],
    ['x-replay-count', String(outcome.count)],
    ['x-last-seq', String(outcome.lastSeq)],
  ];
}
