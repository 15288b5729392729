import type { Backplane } from '../backplane/backplane.port.js';
import { AppError } from '../errors/app-error.js';
import type { AppSendContext } from '../realtime/app-destinations.js';
import type { SequenceFloors } from './sequence-floors.js';

const CLIENT_MSG_ID_WINDOW_MS = 10 * 60_000;
const MAX_CLIENT_MSG_ID_LENGTH = 128;

export const roomTopic = (roomId: string): string => `/topic/rooms.${roomId}`;

/**
 * SEND /app/rooms.{roomId}: the server stamps sender and time on the message (clients cannot
 * forge them) and publishes it to the room's topic. A retry carrying the same
 * `x-client-msg-id` within the window is acknowledged again but not published twice, on
 * whichever instance it lands (the claim is the backplane's, so cluster-wide).
 */
export class RoomMessageHandler {
  constructor(
    private readonly backplane: Backplane,
    private readonly floors?: SequenceFloors,
  ) {}

  readonly handle = async (context: AppSendContext): Promise<void> => {
    const roomId = context.params['roomId']!;
    const clientMsgId = context.headers.get('x-client-msg-id');
    if (clientMsgId !== undefined && clientMsgId.length > MAX_CLIENT_MSG_ID_LENGTH) {
      throw new AppError(
        'PROTOCOL_BAD_HEADER',
        `x-client-msg-id is longer than ${MAX_CLIENT_MSG_ID_LENGTH} characters`,
      );
    }
    const destination = roomTopic(roomId);
    const claim = clientMsgId === undefined ? undefined : `${context.principal.userId}:${clientMsgId}`;
    if (claim !== undefined && !(await this.backplane.claimOnce(destination, claim, CLIENT_MSG_ID_WINDOW_MS))) return;

    const headers: Array<[string, string]> = [
      ['content-type', context.headers.get('content-type') ?? 'text/plain;charset=utf-8'],
      ['x-sender-id', context.principal.userId],
      ['x-sender', context.principal.username],
      ['x-server-ts', new Date().toISOString()],
    ];
    if (clientMsgId !== undefined) headers.push(['x-client-msg-id', clientMsgId]);
    try {
      await this.floors?.ensure(roomId);
      await this.backplane.publish({ destination, headers, body: context.body });
    } catch (error) {
      if (claim !== undefined) await this.backplane.releaseClaim(destination, claim).catch(() => {});
      throw error;
    }
  };
}
