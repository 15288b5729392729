import type { Backplane } from '../backplane/backplane.port.js';
import { AppError } from '../errors/app-error.js';
import type { AppSendContext, SendReply } from '../realtime/app-destinations.js';
import { roomTopic } from '../rooms/room-destinations.js';
import { CLIENT_MSG_ID_HEADER, DEFAULT_CONTENT_TYPE, messageHeaders } from './room-message-wire.js';
import type { SequenceFloors } from './sequence-floors.js';

const CLIENT_MSG_ID_WINDOW_MS = 10 * 60_000;
const MAX_CLIENT_MSG_ID_LENGTH = 128;

/** The RECEIPT headers of a sequenced room event: its x-seq, and whether this SEND was a retry of it. */
export function sequencedReceipt(seq: number, duplicate: boolean | undefined): SendReply {
  const receiptHeaders: Array<[string, string]> = [['x-seq', String(seq)]];
  if (duplicate === true) receiptHeaders.push(['x-duplicate', 'true']);
  return { receiptHeaders };
}

/**
 * SEND /app/rooms.{roomId}: the server stamps sender and time on the message (clients cannot
 * forge them) and publishes it to the room's topic; the RECEIPT carries its `x-seq`. A retry
 * carrying the same `x-client-msg-id` within the window, on whichever instance it lands, is not
 * published again: its RECEIPT carries the original's `x-seq` (and `x-duplicate: true`). The
 * check is part of the backplane's atomic publish, so a crash can never leave a retry blocked
 * by a message that was not published.
 */
export class RoomMessageHandler {
  constructor(
    private readonly backplane: Backplane,
    private readonly floors?: SequenceFloors,
  ) {}

  readonly handle = async (context: AppSendContext): Promise<SendReply> => {
    const roomId = context.params['roomId']!;
    const clientMsgId = context.headers.get(CLIENT_MSG_ID_HEADER);
    if (clientMsgId !== undefined && clientMsgId.length > MAX_CLIENT_MSG_ID_LENGTH) {
      throw new AppError(
        'PROTOCOL_BAD_HEADER',
        `${CLIENT_MSG_ID_HEADER} is longer than ${MAX_CLIENT_MSG_ID_LENGTH} characters`,
      );
    }
    const headers = messageHeaders(
      context.principal,
      context.headers.get('content-type') ?? DEFAULT_CONTENT_TYPE,
      clientMsgId,
    );
    const published = await this.backplane.publish(
      { destination: roomTopic(roomId), headers, body: context.body },
      {
        sequenceFloor: this.floors?.floorOf(roomId),
        dedupe:
          clientMsgId === undefined
            ? undefined
            : { key: `${context.principal.userId}:${clientMsgId}`, ttlMs: CLIENT_MSG_ID_WINDOW_MS },
      },
    );
    return sequencedReceipt(published.seq, published.duplicate);
  };
}
