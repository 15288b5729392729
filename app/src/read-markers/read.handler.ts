import { AppError } from '../errors/app-error.js';
import type { AppSendContext } from '../realtime/app-destinations.js';
import type { ReadMarkersService } from './read-markers.service.js';

/**
 * SEND /app/rooms.{roomId}.read with body `{"seq": N}`: the sender has read the room up to N.
 * Only members get here (the destination authorizer covers /app/rooms.{id}.*). A RECEIPT means
 * the marker was accepted; it reaches the database with the next flush.
 */
export class ReadHandler {
  constructor(private readonly markers: ReadMarkersService) {}

  readonly handle = async (context: AppSendContext): Promise<void> => {
    await this.markers.report(context.principal.userId, context.params['roomId']!, parseSeq(context.body));
  };
}

function parseSeq(body: Buffer): number {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new AppError('VALIDATION_FAILED', 'the body must be JSON: {"seq": <last read sequence>}');
  }
  const seq = (parsed as { seq?: unknown } | null)?.seq;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) {
    throw new AppError('VALIDATION_FAILED', 'seq must be a non-negative integer');
  }
  return seq;
}
