import { ApiProperty } from '../../http/openapi-decorators.js';
import { IsString, MinLength } from '../../http/validators.js';

/** PATCH /rooms/{id}/messages/{seq}: the new text (content type text/plain;charset=utf-8). */
export class EditMessageDto {
  @ApiProperty({
    minLength: 1,
    description: 'The new body, as text; an empty edit is refused (delete the message instead)',
  })
  @IsString()
  @MinLength(1)
  body!: string;
}
