import { isUtf8 } from 'node:buffer';
import type { StompVersion } from './frame.js';
import { encodeFrame, escapeHeaderValue } from './serializer.js';

/** `MESSAGE\n`: what encodeFrame puts before the first header. */
const COMMAND_LINE_BYTES = 'MESSAGE\n'.length;
/**
 * Whole frames kept per message, by version and subscription id. Standard clients number their
 * subscriptions per connection (stompjs: `sub-0`, `sub-1`, …), so a room's subscribers mostly
 * share a few ids and one encoded frame can go to all of them; the bound keeps a message whose
 * subscribers all chose distinct ids from holding a frame per subscriber.
 */
const SHARED_FRAMES_MAX = 8;

/**
 * Encode-once fan-out: one MESSAGE is encoded once per destination; only `subscription` (and
 * `ack`) differ per subscriber. Those two go first, so everything after them (the shared
 * tail: other headers, blank line, body, NUL) is identical for every subscriber of a version.
 */
export class PreparedMessage {
  /** True when the whole frame is valid UTF-8 and can go as a WebSocket text message. */
  readonly isUtf8: boolean;

  private readonly headers: ReadonlyArray<readonly [string, string]>;
  private readonly body: Buffer;
  private readonly tails = new Map<StompVersion, Buffer>();
  private sharedFrames: Map<string, Buffer> | undefined;
  // The shared frame handed out last, checked before the map: a room's subscribers mostly use
  // one id, and building the map key concatenated and hashed a string per delivery.
  private lastVersion: StompVersion | undefined;
  private lastSubscriptionId: string | undefined;
  private lastFrame: Buffer | undefined;

  /**
   * headers: every MESSAGE header except `subscription` and `ack` (destination, message-id,
   * content-type, user headers…); content-length is added if the body is non-empty. The body
   * is kept by reference: do not modify it afterwards.
   */
  constructor(headers: Iterable<readonly [string, string]>, body: Buffer) {
    this.headers = Array.from(headers, ([name, value]) => [name, value] as const);
    this.body = body;
    // Header text is a JS string, so its UTF-8 encoding is always valid; only the body can fail.
    this.isUtf8 = isUtf8(body);
  }

  /**
   * The complete MESSAGE frame for one subscriber: `MESSAGE\nsubscription:<id>\n[ack:<ackId>\n]`
   * followed by the shared, already-encoded rest. The shared tail is encoded lazily once per
   * version and cached. Never throws for header content: what a version cannot carry is
   * replaced (see escapeHeaderValue). Without an ack id the frame depends only on the version and
   * the subscription id, so it is encoded once and the same (read-only) buffer is returned to
   * every subscriber that shares them.
   */
  render(version: StompVersion, subscriptionId: string, ackId?: string): Buffer {
    if (ackId !== undefined) return this.encode(version, subscriptionId, ackId);
    if (subscriptionId === this.lastSubscriptionId && version === this.lastVersion) return this.lastFrame!;
    const key = version + subscriptionId;
    let frame = this.sharedFrames?.get(key);
    if (frame === undefined) {
      frame = this.encode(version, subscriptionId, undefined);
      this.sharedFrames ??= new Map();
      if (this.sharedFrames.size < SHARED_FRAMES_MAX) this.sharedFrames.set(key, frame);
    }
    this.lastVersion = version;
    this.lastSubscriptionId = subscriptionId;
    this.lastFrame = frame;
    return frame;
  }

  private encode(version: StompVersion, subscriptionId: string, ackId: string | undefined): Buffer {
    const tail = this.tailFor(version);
    let head = 'MESSAGE\nsubscription:' + escapeHeaderValue(subscriptionId, version, 'MESSAGE') + '\n';
    if (ackId !== undefined) head += 'ack:' + escapeHeaderValue(ackId, version, 'MESSAGE') + '\n';
    const headLength = Buffer.byteLength(head, 'utf8');
    const frame = Buffer.allocUnsafe(headLength + tail.length);
    frame.write(head, 0, 'utf8');
    tail.copy(frame, headLength);
    return frame;
  }

  private tailFor(version: StompVersion): Buffer {
    let tail = this.tails.get(version);
    if (tail === undefined) {
      // Reusing encodeFrame keeps the bytes identical to a frame encoded in one go.
      tail = encodeFrame('MESSAGE', this.headers, this.body, version).subarray(COMMAND_LINE_BYTES);
      this.tails.set(version, tail);
    }
    return tail;
  }
}
