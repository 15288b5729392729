import { ApiProperty } from '../http/openapi-decorators.js';

/** What login and refresh return, in OAuth 2 token-response spirit (camelCase fields). */
export class TokenPairView {
  @ApiProperty({ description: 'JWT for Authorization: Bearer and the STOMP CONNECT frame' }) accessToken!: string;
  @ApiProperty({ description: 'Opaque; exchange at POST /auth/refresh. Single use: each refresh returns a new one.' })
  refreshToken!: string;
  @ApiProperty({ description: 'Access token lifetime in seconds', example: 900 }) expiresIn!: number;
  @ApiProperty({ description: 'Refresh token lifetime in seconds', example: 2592000 }) refreshExpiresIn!: number;
  @ApiProperty({ enum: ['Bearer'] }) tokenType!: 'Bearer';
}
