import type { ClientProtocol, StompLogin } from './load-connection.js';

/**
 * IPC between the orchestrator (run.js) and load workers (load-worker.js): request/reply,
 * one outstanding request per id. Plain JSON values only, since IPC serialises them.
 */

export interface ConnectArgs {
  /** ws:// URLs of the server instances; connection with global index i uses urls[i % urls.length]. */
  readonly urls: readonly string[];
  /** Global index of this worker's first connection (keeps logins unique across workers). */
  readonly firstIndex: number;
  readonly count: number;
  /** Connections opened at once; bounded so a 5,000-connection scenario does not SYN-flood the server. */
  readonly concurrency: number;
  readonly timeoutMs: number;
  /** What the system under test speaks. */
  readonly protocol: ClientProtocol;
  /** One login for every STOMP connection (a broker's account); otherwise each gets its own. */
  readonly sharedLogin?: StompLogin;
}

export interface SubscribeArgs extends ConnectArgs {
  readonly destination: string;
  /** Spread over this many rooms of `destination` (rooms.ts); absent: everyone on `destination`. */
  readonly rooms?: number;
  /**
   * Ask for a RECEIPT on each SUBSCRIBE and wait for it, proving the subscription is live
   * before measuring. Turned off when a probe showed the server does not send one.
   */
  readonly confirm: boolean;
}

export interface PublishArgs {
  /** Total SEND/s for this worker, spread round-robin over its publisher connections. */
  readonly ratePerSec: number;
  readonly destination: string;
  /** Each publisher sends to its room of `destination` (rooms.ts); absent: all to `destination`. */
  readonly rooms?: number;
  readonly bodyBytes: number;
  readonly receipts: boolean;
  readonly tickMs: number;
}

export interface ConnectResult {
  readonly connected: number;
  readonly failed: number;
  readonly unconfirmed: number;
}

export interface WindowReport {
  /** Window length as seen by this worker, ms. */
  readonly elapsedMs: number;
  readonly sent: number;
  readonly delivered: number;
  /** Deliveries whose body had no readable timestamp (should be 0). */
  readonly undecodable: number;
  /** Messages missing from a publisher's sequence on some subscriber (exact loss count). */
  readonly lost: number;
  /** Deliveries that were duplicates or arrived out of publisher order. */
  readonly reordered: number;
  readonly receipts: number;
  /** HdrHistogram, compressed base64, microseconds. */
  readonly latencyHistogram: string;
  readonly receiptHistogram: string;
  readonly publisherMaxLagMs: number;
  /** This worker's own CPU (user+system) over the window, µs: near one core means client-bound. */
  readonly cpuUs: number;
}

export interface ErrorReport {
  readonly connectFailures: number;
  readonly unconfirmedSubscriptions: number;
  readonly errorFrames: number;
  readonly unexpectedCloses: number;
  readonly samples: readonly string[];
}

/** Command name → [arguments, result]. */
export interface Commands {
  connectSubscribers: [SubscribeArgs, ConnectResult];
  connectPublishers: [ConnectArgs, ConnectResult];
  startPublishing: [PublishArgs, null];
  stopPublishing: [Record<string, never>, null];
  startWindow: [Record<string, never>, null];
  endWindow: [Record<string, never>, WindowReport];
  errors: [Record<string, never>, ErrorReport];
  closeAll: [{ readonly timeoutMs: number }, null];
}

export type CommandName = keyof Commands;

export interface RequestMessage<K extends CommandName = CommandName> {
  readonly kind: 'request';
  readonly id: number;
  readonly command: K;
  readonly args: Commands[K][0];
}

export type ReplyMessage =
  | { readonly kind: 'reply'; readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly kind: 'reply'; readonly id: number; readonly ok: false; readonly error: string };

/** Sent once by a worker when it is ready to take requests. */
export interface ReadyMessage {
  readonly kind: 'ready';
}

export type WorkerMessage = ReplyMessage | ReadyMessage;

export function isRequestMessage(value: unknown): value is RequestMessage {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'request' &&
    typeof (value as { id?: unknown }).id === 'number' &&
    typeof (value as { command?: unknown }).command === 'string'
  );
}

export function isWorkerMessage(value: unknown): value is WorkerMessage {
  if (typeof value !== 'object' || value === null) return false;
  const kind = (value as { kind?: unknown }).kind;
  return kind === 'ready' || (kind === 'reply' && typeof (value as { id?: unknown }).id === 'number');
}
