import { Module } from '@nestjs/common';
import { AllowAllAuthorizer } from './allow-all-authorizer.js';
import { AUTHENTICATOR } from './authenticator.port.js';
import { DESTINATION_AUTHORIZER } from './destination-authorizer.port.js';
import { DevAuthenticator } from './dev-authenticator.js';

/** AUTH_DEV_ACCEPT_ANY=true: any login gets in and reaches every destination. Never in production. */
@Module({
  providers: [
    { provide: AUTHENTICATOR, useClass: DevAuthenticator },
    { provide: DESTINATION_AUTHORIZER, useClass: AllowAllAuthorizer },
  ],
  exports: [AUTHENTICATOR, DESTINATION_AUTHORIZER],
})
export class DevAuthModule {}
