import { ApiPropertyOptional } from '../http/openapi-decorators.js';
import { IsIn, IsOptional } from '../http/validators.js';
import { UserRefDto } from './user-ref.dto.js';

export class AddMemberDto extends UserRefDto {
  @ApiPropertyOptional({ enum: ['admin', 'member'], default: 'member', description: 'Only the owner may add admins' })
  @IsOptional()
  @IsIn(['admin', 'member'])
  role?: 'admin' | 'member';
}
