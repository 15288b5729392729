import { ApiProperty, ApiPropertyOptional } from '../http/openapi-decorators.js';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Length, MaxLength } from '../http/validators.js';
import { trimmed } from '../http/trimmed.js';

export const ROOM_NAME_MAX_LENGTH = 100;
export const ROOM_TOPIC_MAX_LENGTH = 500;

export class CreateRoomDto {
  @ApiProperty({ enum: ['public', 'private'], description: 'Direct rooms are opened with POST /rooms/direct' })
  @IsIn(['public', 'private'])
  kind!: 'public' | 'private';

  @ApiProperty({ minLength: 1, maxLength: ROOM_NAME_MAX_LENGTH, example: 'general' })
  @Transform(trimmed)
  @IsString()
  @Length(1, ROOM_NAME_MAX_LENGTH)
  name!: string;

  @ApiPropertyOptional({ maxLength: ROOM_TOPIC_MAX_LENGTH })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(ROOM_TOPIC_MAX_LENGTH)
  topic?: string;
}
