import { ApiProperty } from '../http/openapi-decorators.js';
import { IsString, Length } from '../http/validators.js';

/** Body of POST /auth/refresh and POST /auth/logout. */
export class RefreshTokenDto {
  @ApiProperty({ description: 'The refresh token from login or the last refresh' })
  @IsString()
  @Length(1, 256)
  refreshToken!: string;
}
