import { ApiProperty, ApiPropertyOptional } from '../http/openapi-decorators.js';
import { IsOptional, IsString, Length, Matches, MaxLength } from '../http/validators.js';
import {
  DISPLAY_NAME_MAX_LENGTH,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  USERNAME_PATTERN,
  USERNAME_RULE,
} from './account-rules.js';

export class RegisterDto {
  @ApiProperty({
    pattern: USERNAME_PATTERN.source,
    example: 'alice',
    description: `${USERNAME_RULE}; unique, case-insensitively`,
  })
  @IsString()
  @Matches(USERNAME_PATTERN, { message: `username must be ${USERNAME_RULE}` })
  username!: string;

  @ApiProperty({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH, format: 'password' })
  @IsString()
  @Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH)
  password!: string;

  @ApiPropertyOptional({ maxLength: DISPLAY_NAME_MAX_LENGTH, description: 'Defaults to the username' })
  @IsOptional()
  @IsString()
  @MaxLength(DISPLAY_NAME_MAX_LENGTH)
  displayName?: string;
}
