import type { Redis } from 'ioredis';
import { AppError } from '../errors/app-error.js';

/**
 * Receipts that wait for replicas: after a publish's script has run, Redis `WAIT n timeout`
 * on the same connection returns once n replicas have acknowledged every write this connection
 * made before it. One WAIT covers all publishes whose replies arrived before it was sent, so the
 * requests of one tick share one WAIT (a burst costs one replica round trip, not one each).
 *
 * WAIT blocks the connection it runs on, so publishes queued behind it wait too: that is the
 * cost measured by the `receipts-wait-replica` bench scenario.
 */
export class ReplicaAcks {
  private batch: Promise<void> | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly replicas: number,
    private readonly timeoutMs: number,
  ) {}

  /** Resolves once a WAIT sent after this call confirms; rejects BACKPLANE_UNREPLICATED if too few replicas did in time. */
  confirm(): Promise<void> {
    this.batch ??= new Promise<void>((resolve, reject) => {
      setImmediate(() => {
        this.batch = undefined;
        this.redis.wait(this.replicas, this.timeoutMs).then((acked) => {
          if (acked >= this.replicas) resolve();
          else reject(this.unreplicated(acked));
        }, reject);
      });
    });
    return this.batch;
  }

  private unreplicated(acked: number): AppError {
    return new AppError(
      'BACKPLANE_UNREPLICATED',
      `published, but ${acked} of ${this.replicas} replicas confirmed it within ${this.timeoutMs} ms; retry with the same x-client-msg-id`,
    );
  }
}
