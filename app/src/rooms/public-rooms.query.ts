import { ApiPropertyOptional } from '../http/openapi-decorators.js';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from '../http/validators.js';

/** GET /rooms/public?limit=&offset= */
export class PublicRoomsQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  offset?: number;
}
