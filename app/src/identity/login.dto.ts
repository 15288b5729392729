import { ApiProperty } from '../http/openapi-decorators.js';
import { IsString, Length } from '../http/validators.js';
import { PASSWORD_MAX_LENGTH } from './account-rules.js';

// Only lengths are checked: a malformed username simply does not log in.
export class LoginDto {
  @ApiProperty({ example: 'alice' })
  @IsString()
  @Length(1, 64)
  username!: string;

  @ApiProperty({ format: 'password' })
  @IsString()
  @Length(1, PASSWORD_MAX_LENGTH)
  password!: string;
}
