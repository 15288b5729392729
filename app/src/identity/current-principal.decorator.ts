import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { AppError } from '../errors/app-error.js';
import type { Principal } from '../realtime/auth/principal.js';
import type { AuthenticatedRequest } from './authenticated-request.js';

/** The caller of a handler guarded by HttpAuthGuard. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  // Reaching here without one means a handler forgot @UseGuards(HttpAuthGuard).
  if (principal === undefined)
    throw new AppError('AUTH_REQUIRED', 'this endpoint needs an Authorization: Bearer <access token> header');
  return principal;
});
