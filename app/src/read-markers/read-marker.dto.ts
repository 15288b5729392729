import { ApiProperty } from '../http/openapi-decorators.js';
import { IsInt, Max, Min } from '../http/validators.js';

/** PUT /rooms/{id}/read */
export class ReadMarkerDto {
  @ApiProperty({ minimum: 0, description: 'The last message sequence (x-seq) the caller has read' })
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  seq!: number;
}
