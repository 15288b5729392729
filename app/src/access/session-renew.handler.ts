import { AppError } from '../errors/app-error.js';
import type { AppSendContext, SendReply } from '../realtime/app-destinations.js';
import type { Principal } from '../realtime/auth/principal.js';

/** What renewal needs from identity: verify a fresh token for the same user. */
export interface TokenRenewer {
  renew(current: Principal, token: string): Promise<Principal>;
}

/**
 * SEND /app/session.renew with a fresh access token (in an `authorization: Bearer …` header,
 * or as the body) before the current one expires: the session continues under the new
 * expiry instead of being closed with AUTH_EXPIRED. Ask for a RECEIPT to know it took: the
 * session applies the renewed principal it returns before handling the next frame.
 */
export class SessionRenewHandler {
  constructor(private readonly renewer: TokenRenewer) {}

  readonly handle = async (context: AppSendContext): Promise<SendReply> => {
    const token = context.headers.get('authorization') ?? context.body.toString('utf8').trim();
    if (token === '') throw new AppError('AUTH_REQUIRED', 'send the new access token in an authorization header');
    return { principal: await this.renewer.renew(context.principal, token) };
  };
}
