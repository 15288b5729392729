import { Module } from '@nestjs/common';
import { DatabaseModule } from '../database/database.module.js';
import { RevocationLog } from './revocation-log.js';

/** The durable revocation record, for the services that revoke (identity, rooms) and the feed. */
@Module({
  imports: [DatabaseModule],
  providers: [RevocationLog],
  exports: [RevocationLog],
})
export class RevocationsModule {}
