import { AppError } from '../errors/app-error.js';

/**
 * STOMP transactions: SEND, ACK and NACK frames inside BEGIN…COMMIT are held back and take
 * effect, in order, at COMMIT; ABORT or a disconnect drops them.
 */
export class TransactionBuffer<T> {
  private readonly open = new Map<string, T[]>();

  constructor(private readonly maxFramesPerTransaction: number) {}

  begin(id: string): void {
    if (this.open.has(id)) {
      throw new AppError('PROTOCOL_DUPLICATE_TRANSACTION', `transaction '${id}' is already open`);
    }
    this.open.set(id, []);
  }

  add(id: string, frame: T): void {
    const frames = this.get(id);
    if (frames.length >= this.maxFramesPerTransaction) {
      throw new AppError(
        'LIMIT_TRANSACTION_SIZE',
        `transaction '${id}' holds more than ${this.maxFramesPerTransaction} frames`,
      );
    }
    frames.push(frame);
  }

  /** Closes the transaction and hands back its frames for the caller to apply. */
  commit(id: string): T[] {
    const frames = this.get(id);
    this.open.delete(id);
    return frames;
  }

  abort(id: string): void {
    this.get(id);
    this.open.delete(id);
  }

  clear(): void {
    this.open.clear();
  }

  private get(id: string): T[] {
    const frames = this.open.get(id);
    if (frames === undefined) throw new AppError('PROTOCOL_UNKNOWN_TRANSACTION', `no open transaction '${id}'`);
    return frames;
  }
}
