import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { AppError } from '../../errors/app-error.js';
import { parseSeq } from '../room-message-wire.js';

/** A route parameter that is a message's x-seq: a positive integer, the same rule as x-target-seq. */
@Injectable()
export class SeqParamPipe implements PipeTransform<string, number> {
  transform(value: string, metadata: ArgumentMetadata): number {
    const seq = parseSeq(value);
    if (seq === undefined)
      throw new AppError('VALIDATION_FAILED', `${metadata.data ?? 'seq'} must be a positive integer`);
    return seq;
  }
}
