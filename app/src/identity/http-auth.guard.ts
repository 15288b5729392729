import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { AuthenticatedRequest } from './authenticated-request.js';
import { JwtAuthenticator } from './jwt-authenticator.js';

/**
 * Lets a REST request through only with a valid `Authorization: Bearer <access token>`,
 * verified exactly like a STOMP CONNECT; the principal is then available through
 * @CurrentPrincipal(). Failures are AppErrors (AUTH_REQUIRED, AUTH_INVALID, AUTH_EXPIRED).
 */
@Injectable()
export class HttpAuthGuard implements CanActivate {
  constructor(@Inject(JwtAuthenticator) private readonly authenticator: JwtAuthenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    request.principal = await this.authenticator.authenticateBearer(Array.isArray(header) ? header[0] : header);
    return true;
  }
}
