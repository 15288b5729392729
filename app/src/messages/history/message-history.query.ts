import { ApiPropertyOptional } from '../../http/openapi-decorators.js';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from '../../http/validators.js';
import { HISTORY_DEFAULT_LIMIT, HISTORY_MAX_LIMIT } from './history-reader.js';

/** GET /rooms/{id}/messages?before=&after=&limit= (seq cursors, both exclusive). */
export class MessageHistoryQuery {
  @ApiPropertyOptional({ minimum: 1, description: 'Only messages with a lower seq (a previous nextBefore)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  before?: number;

  @ApiPropertyOptional({
    minimum: 0,
    description: 'Only messages with a higher seq (e.g. the last one the client has)',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  after?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: HISTORY_MAX_LIMIT, default: HISTORY_DEFAULT_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(HISTORY_MAX_LIMIT)
  limit?: number;
}
