import type { Backplane } from '../backplane/backplane.port.js';
import type { AppSendContext } from '../realtime/app-destinations.js';
import { ExpiringClaims } from '../backplane/expiring-claims.js';
import { typingTopic } from '../rooms/room-destinations.js';

/** A typing indicator is shown for this long unless renewed; clients need no "stopped" event. */
export const TYPING_TTL_MS = 5_000;
/** At most one typing event per user and room per interval; extra ones are dropped quietly. */
export const TYPING_MIN_INTERVAL_MS = 1_000;

/**
 * SEND /app/rooms.{roomId}.typing (body optional: `{"typing": false}` to clear early): an
 * ephemeral broadcast to /topic/rooms.{roomId}.typing — no sequence, never stored. Rate
 * limiting drops rather than errors, because clients send typing events on every keystroke.
 */
export class TypingHandler {
  private readonly lastTyping = new ExpiringClaims(100_000);

  constructor(
    private readonly backplane: Backplane,
    private readonly now: () => number = Date.now,
  ) {}

  readonly handle = async (context: AppSendContext): Promise<void> => {
    const roomId = context.params['roomId']!;
    const typing = parseTyping(context.body);
    // Stopping is always passed on, so an indicator never lingers because of the limit.
    if (typing && !this.lastTyping.claim(`${roomId}\n${context.principal.userId}`, this.now(), TYPING_MIN_INTERVAL_MS))
      return;
    const event = {
      type: 'typing',
      roomId,
      userId: context.principal.userId,
      username: context.principal.username,
      typing,
      expiresInMs: typing ? TYPING_TTL_MS : 0,
    };
    await this.backplane.publish({
      destination: typingTopic(roomId),
      headers: [['content-type', 'application/json']],
      body: Buffer.from(JSON.stringify(event)),
      ephemeral: true,
    });
  };
}

function parseTyping(body: Buffer): boolean {
  if (body.length === 0) return true;
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { typing?: unknown };
    return parsed.typing !== false;
  } catch {
    return true;
  }
}
