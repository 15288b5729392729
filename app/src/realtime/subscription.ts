import type { PreparedMessage } from '../stomp/prepared-message.js';

/** STOMP ack modes: `auto` needs no ACK; `client` ACKs are cumulative; `client-individual` are per message. */
export type AckMode = 'auto' | 'client' | 'client-individual';

export const ACK_MODES: readonly AckMode[] = ['auto', 'client', 'client-individual'];

/** One SUBSCRIBE of one session, as the fan-out sees it. */
export interface Subscription {
  readonly id: string;
  readonly destination: string;
  readonly ackMode: AckMode;
  readonly subscriber: Subscriber;
}

/** What the fan-out needs from a session: a way to hand it one prepared MESSAGE. */
export interface Subscriber {
  /** `seq` is the destination's sequence (0 for ephemeral messages), used to stitch replay and live. */
  deliver(subscription: Subscription, message: PreparedMessage, messageId: string, seq: number): void;
}
