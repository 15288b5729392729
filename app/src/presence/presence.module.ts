import { randomUUID } from 'node:crypto';
import {
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { Logger } from 'pino';
import { BACKPLANE, type Backplane } from '../backplane/backplane.port.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/app-config.token.js';
import { LOGGER } from '../ops/logger.js';
import { ShutdownFlushes } from '../ops/shutdown-flushes.js';
import { RealtimeServer } from '../realtime/realtime-server.js';
import { MembershipsService } from '../rooms/memberships.service.js';
import { IdentityModule } from '../identity/identity.module.js';
import { RoomsModule } from '../rooms/rooms.module.js';
import { LocalPresenceRegistry, LocalPresenceState } from './local-presence-registry.js';
import { PresenceAnnouncer } from './presence-announcer.js';
import { PresenceController } from './presence.controller.js';
import { PresenceGateway } from './presence.gateway.js';
import { PRESENCE_REGISTRY, type PresenceRegistry } from './presence-registry.port.js';
import { PresenceTracker } from './presence-tracker.js';

/**
 * Presence lives where the backplane does: in-process for the embedded default, else Redis (its
 * registry and ioredis are imported only then, to keep them out of the embedded default's memory).
 */
async function createRegistry(config: AppConfig, log: Logger): Promise<PresenceRegistry> {
  const timing = { ttlMs: config.presence.ttlMs, offlineGraceMs: config.presence.offlineGraceMs };
  // New per process start: a restarted task is a new instance, its predecessor's entries expire.
  const instanceId = randomUUID();
  if (config.backplane.kind === 'local') return new LocalPresenceRegistry(new LocalPresenceState(timing), instanceId);
  const presenceLog = log.child({ layer: 'presence' });
  const [{ RedisPresenceRegistry }, { createCommandConnection }] = await Promise.all([
    import('./redis-presence-registry.js'),
    import('../redis/redis-connection.js'),
  ]);
  return new RedisPresenceRegistry({
    connection: createCommandConnection(config.backplane.redis, 'chat-presence'),
    keyPrefix: config.backplane.redis.keyPrefix,
    partitions: config.backplane.redis.cluster?.partitions,
    instanceId,
    timing,
    onError: (message, error) => presenceLog.warn({ err: error }, message),
  });
}

@Injectable()
class PresenceLifecycle implements OnModuleInit, OnApplicationShutdown {
  private readonly tracker: PresenceTracker;
  private readonly log: Logger;

  constructor(
    @Inject(PRESENCE_REGISTRY) private readonly registry: PresenceRegistry,
    @Inject(RealtimeServer) realtime: RealtimeServer,
    @Inject(BACKPLANE) backplane: Backplane,
    @Inject(MembershipsService) memberships: MembershipsService,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(LOGGER) log: Logger,
    @Inject(ShutdownFlushes) flushes: ShutdownFlushes,
  ) {
    this.log = log.child({ layer: 'presence' });
    const announcer = new PresenceAnnouncer(backplane, (userId) => memberships.roomIdsOf(userId));
    this.tracker = new PresenceTracker(registry, {
      heartbeatIntervalMs: config.presence.heartbeatIntervalMs,
      sweepIntervalMs: config.presence.sweepIntervalMs,
      announce: (user, status) => announcer.announce(user, status),
      log: this.log,
    });
    realtime.registry.addListener(this.tracker.listener);
    // Run by the drain once the sessions are closed: this instance's entries go at once.
    flushes.register(() => this.tracker.stop());
  }

  // Sessions are accepted from onApplicationBootstrap on, so the instance is registered first.
  async onModuleInit(): Promise<void> {
    await this.tracker.start();
  }

  async onApplicationShutdown(): Promise<void> {
    // Normally done by the drain already; then this is the same (settled) promise.
    await this.tracker
      .stop()
      .catch((error: unknown) => this.log.warn({ err: error }, 'presence: removing this instance failed'));
    await this.registry.close();
  }
}

/**
 * Who is online: this instance's sessions in the presence registry (kept alive by a heartbeat),
 * online/offline events on /topic/rooms.{id}.presence, and GET /rooms/{id}/presence.
 */
@Module({})
export class PresenceModule {
  static register(realtime: DynamicModule): DynamicModule {
    return {
      module: PresenceModule,
      imports: [realtime, IdentityModule, RoomsModule],
      controllers: [PresenceController],
      providers: [
        { provide: PRESENCE_REGISTRY, useFactory: createRegistry, inject: [APP_CONFIG, LOGGER] },
        PresenceLifecycle,
        PresenceGateway,
      ],
    };
  }
}
