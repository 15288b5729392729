import type { DestinationAuthorizer } from './destination-authorizer.port.js';

/** Development only, paired with the DevAuthenticator: every connected user reaches every destination. */
export class AllowAllAuthorizer implements DestinationAuthorizer {
  authorizeSubscribe(): Promise<void> {
    return Promise.resolve();
  }

  authorizeSend(): Promise<void> {
    return Promise.resolve();
  }
}
