import { ApiProperty } from '../http/openapi-decorators.js';
import type { UserRecord } from './user.entity.js';

/** A user as the API shows it: never the password hash. */
export class UserView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'alice' }) username!: string;
  @ApiProperty({ example: 'Alice Liddell' }) displayName!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;

  static of(user: UserRecord): UserView {
    return {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      createdAt: user.createdAt.toISOString(),
    };
  }
}
