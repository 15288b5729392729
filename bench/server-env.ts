import { benchTopicPatterns } from './rooms.js';
import { BENCH_DESTINATION } from './scenarios.js';

/**
 * The environment every benchmarked server gets on top of the inherited one. Measurement runs
 * switch off heart-beats and WebSocket pings (periodic work unrelated to deliveries) and lift
 * the per-connection SEND rate limit so publishers are not throttled. Servers always keep users
 * and rooms in a throwaway SQLite file, even when MYSQL_URL or MONGO_URL is set for the drain
 * scenarios; on the Redis backplane they get the run's Redis URL and this attempt's key prefix.
 */
export function serverEnvOverrides(options: {
  readonly port: number;
  readonly backplane: 'local' | 'redis' | 'rabbitmq';
  readonly dataDir: string;
  /**
   * Required for the Redis backplane. With `clusterNodes` (a cluster the scenario started), the
   * servers run in cluster mode on it; `url` is then one of its nodes.
   */
  readonly redis?: { readonly url: string; readonly keyPrefix: string; readonly clusterNodes?: string };
  /** Required for the RabbitMQ backplane (which needs `redis` too). */
  readonly rabbitmqUrl?: string;
}): Record<string, string> {
  return {
    PORT: String(options.port),
    HOST: '127.0.0.1',
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    AUTH_DEV_ACCEPT_ANY: 'true',
    // The scenarios publish straight to their topic (or its rooms), with no handler in between.
    STOMP_CLIENT_TOPICS: benchTopicPatterns(BENCH_DESTINATION),
    STOMP_SEND_RATE_PER_SECOND: '100000',
    STOMP_SEND_BURST: '100000',
    STOMP_USER_SEND_RATE_PER_SECOND: '100000',
    STOMP_USER_SEND_BURST: '100000',
    STOMP_HEARTBEAT_SEND_MS: '0',
    STOMP_HEARTBEAT_RECEIVE_MS: '0',
    WS_PING_INTERVAL_MS: '0',
    BACKPLANE: options.backplane,
    // Throwaway SQLite files and secrets go to a temp dir, never into the working tree.
    DATA_DIR: options.dataDir,
    DATABASE: 'sqlite',
    MESSAGE_STORE: 'sql',
    // A short drain so SIGTERM ends the server promptly (and --cpu-prof gets written).
    SHUTDOWN_DRAIN_MS: '1000',
    ...(options.redis ? { REDIS_URL: options.redis.url, REDIS_KEY_PREFIX: options.redis.keyPrefix } : {}),
    ...(options.redis?.clusterNodes ? { REDIS_CLUSTER_NODES: options.redis.clusterNodes } : {}),
    // RabbitMQ names follow the attempt's Redis prefix, so attempts never share a persist queue.
    ...(options.rabbitmqUrl && options.redis
      ? {
          RABBITMQ_URL: options.rabbitmqUrl,
          RABBITMQ_NAME_PREFIX: `bench-${options.redis.keyPrefix.replace(/[^A-Za-z0-9]+/g, '-').replace(/-$/, '')}`,
        }
      : {}),
  };
}

/** Variables passed through from the caller's environment when set (credentials for the Redis scenarios). */
export const PASS_THROUGH = ['REDIS_URL', 'REDIS_HOST', 'REDIS_PORT', 'REDIS_PASSWORD'] as const;

export function serverEnv(
  inherited: Readonly<Record<string, string | undefined>>,
  overrides: Readonly<Record<string, string>>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(inherited)) if (value !== undefined) env[key] = value;
  return { ...env, ...overrides };
}

/** The whole environment of one benchmarked server: inherited, pass-through credentials, then the overrides. */
export function benchServerEnv(options: Parameters<typeof serverEnvOverrides>[0]): Record<string, string> {
  const passThrough = Object.fromEntries(
    PASS_THROUGH.flatMap((name) => (process.env[name] ? [[name, process.env[name]!]] : [])),
  );
  return serverEnv(process.env, { ...passThrough, ...serverEnvOverrides(options) });
}
