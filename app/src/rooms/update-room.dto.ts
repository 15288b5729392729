import { ApiPropertyOptional } from '../http/openapi-decorators.js';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Length, MaxLength, ValidateIf } from '../http/validators.js';
import { trimmed } from '../http/trimmed.js';
import { ROOM_NAME_MAX_LENGTH, ROOM_TOPIC_MAX_LENGTH } from './create-room.dto.js';

/** PATCH body: only the given fields change; `topic: null` clears the topic. */
export class UpdateRoomDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: ROOM_NAME_MAX_LENGTH })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @Length(1, ROOM_NAME_MAX_LENGTH)
  name?: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: ROOM_TOPIC_MAX_LENGTH })
  @ValidateIf((_object, value) => value !== null && value !== undefined)
  @Transform(trimmed)
  @IsString()
  @MaxLength(ROOM_TOPIC_MAX_LENGTH)
  topic?: string | null;
}
