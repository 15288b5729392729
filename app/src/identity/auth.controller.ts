import { Body, Controller, HttpCode, Inject, Ip, Post } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTooManyRequestsResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '../http/openapi-decorators.js';
import { AccountsService } from './accounts.service.js';
import { AuthService } from './auth.service.js';
import { AuthThrottle } from './auth-throttle.js';
import { LoginDto } from './login.dto.js';
import { RefreshTokenDto } from './refresh-token.dto.js';
import { RegisterDto } from './register.dto.js';
import { TokenPairView } from './token-pair.view.js';
import { UserView } from './user.view.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    @Inject(AccountsService) private readonly accounts: AccountsService,
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(AuthThrottle) private readonly throttle: AuthThrottle,
  ) {}

  @Post('register')
  @ApiCreatedResponse({ type: UserView })
  @ApiConflictResponse({ description: 'USER_EXISTS' })
  @ApiTooManyRequestsResponse({ description: 'LIMIT_LOGIN_ATTEMPTS: too many registrations from this address' })
  async register(@Body() body: RegisterDto, @Ip() address: string): Promise<UserView> {
    return UserView.of(await this.throttle.register(address, () => this.accounts.register(body)));
  }

  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairView })
  @ApiUnauthorizedResponse({ description: 'AUTH_INVALID: username or password is wrong' })
  @ApiTooManyRequestsResponse({ description: 'LIMIT_LOGIN_ATTEMPTS: locked out for Retry-After seconds' })
  login(@Body() body: LoginDto, @Ip() address: string): Promise<TokenPairView> {
    return this.throttle.login(body.username, address, () => this.auth.login(body.username, body.password));
  }

  @Post('refresh')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairView, description: 'A new pair; the presented refresh token is spent' })
  @ApiUnauthorizedResponse({ description: 'AUTH_INVALID (unknown, revoked or re-used token) or AUTH_EXPIRED' })
  refresh(@Body() body: RefreshTokenDto): Promise<TokenPairView> {
    return this.auth.refresh(body.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiNoContentResponse({
    description: 'Every refresh token of this login is revoked and its live sessions are closed',
  })
  async logout(@Body() body: RefreshTokenDto): Promise<void> {
    await this.auth.logout(body.refreshToken);
  }
}
