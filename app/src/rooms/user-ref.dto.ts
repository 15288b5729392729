import { ApiPropertyOptional } from '../http/openapi-decorators.js';
import { IsOptional, IsString, IsUUID, Matches } from '../http/validators.js';
import { USERNAME_PATTERN } from '../identity/account-rules.js';

/** Names a user by exactly one of userId or username (checked by the service). */
export class UserRefDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  userId?: string;

  @ApiPropertyOptional({ example: 'bob' })
  @IsOptional()
  @IsString()
  @Matches(USERNAME_PATTERN, { message: 'username is not a valid username' })
  username?: string;
}
