import { AppError } from '../../errors/app-error.js';
import type { Authenticator, ConnectCredentials } from './authenticator.port.js';
import type { Principal } from './principal.js';

/**
 * Development only (AUTH_DEV_ACCEPT_ANY=true, refused in production): whoever names a
 * `login` is that user, with no password. Lets a newcomer try the server with any client.
 */
export class DevAuthenticator implements Authenticator {
  authenticate(credentials: ConnectCredentials): Promise<Principal> {
    const login = credentials.login?.trim();
    if (login === undefined || login === '' || login.length > 64) {
      return Promise.reject(new AppError('AUTH_REQUIRED', 'send a login header (1-64 characters)'));
    }
    return Promise.resolve({ userId: `dev:${login}`, username: login });
  }
}
