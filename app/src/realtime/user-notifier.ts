import type { Backplane } from '../backplane/backplane.port.js';
import { userQueueDestination } from './destinations.js';

/**
 * Server-side messages to one user, on `/user/queue/<queue>`: they reach every session of the
 * user on every instance. They are ephemeral (not sequenced, not stored): a user who is offline
 * learns the same facts from the REST API when they come back.
 */
export class UserNotifier {
  constructor(private readonly backplane: Backplane) {}

  async notify(userId: string, queue: string, event: Record<string, unknown>): Promise<void> {
    await this.backplane.publish({
      destination: userQueueDestination(userId, queue),
      headers: [['content-type', 'application/json']],
      body: Buffer.from(JSON.stringify(event)),
      ephemeral: true,
    });
  }
}
