import { Controller, Get, Inject, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '../http/openapi-decorators.js';
import type { Principal } from '../realtime/auth/principal.js';
import { AccountsService } from './accounts.service.js';
import { CurrentPrincipal } from './current-principal.decorator.js';
import { HttpAuthGuard } from './http-auth.guard.js';
import { UserView } from './user.view.js';

@ApiTags('auth')
@ApiBearerAuth()
@UseGuards(HttpAuthGuard)
@Controller('me')
export class MeController {
  constructor(@Inject(AccountsService) private readonly accounts: AccountsService) {}

  @Get()
  @ApiOkResponse({ type: UserView })
  async me(@CurrentPrincipal() principal: Principal): Promise<UserView> {
    return UserView.of(await this.accounts.get(principal.userId));
  }
}
