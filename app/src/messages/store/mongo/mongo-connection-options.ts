import type { ConnectOptions } from 'mongoose';
import type { MongoConfig } from '../../../config/app-config.js';

/** Fail a write within this long when no server is reachable, so the persister can back off. */
const SERVER_SELECTION_TIMEOUT_MS = 5_000;

export interface MongoConnectionSettings {
  readonly uri: string;
  readonly options: ConnectOptions;
}

/**
 * How to connect for the given settings. MONGO_URL is used as given; host/port build a URL
 * without a database path, so authentication happens against `admin` (where DocumentDB and a
 * default MongoDB keep users) and `dbName` picks the database. Settings that were not
 * configured are left out, so the URL's own options (or the driver's defaults) stay in force.
 *
 * Mongoose's `autoIndex`/`autoCreate` are off: indexes are created once, explicitly, by
 * MongoMessageStore.open(). `bufferCommands` is off too: while the server is unreachable a
 * write fails (and the persister retries with backoff) instead of queueing in mongoose.
 */
export function mongoConnectionSettings(config: MongoConfig): MongoConnectionSettings {
  const uri = config.url ?? `mongodb://${hostPart(config.host ?? '127.0.0.1')}:${config.port}/`;
  const tls = config.tls ?? (config.tlsCaFile !== undefined ? true : undefined);
  const options: ConnectOptions = {
    autoIndex: false,
    autoCreate: false,
    bufferCommands: false,
    serverSelectionTimeoutMS: SERVER_SELECTION_TIMEOUT_MS,
    ...(urlNamesDatabase(uri) ? {} : { dbName: config.database }),
    ...(config.username === undefined ? {} : { auth: { username: config.username, password: config.password ?? '' } }),
    ...(tls === undefined ? {} : { tls }),
    ...(config.tlsCaFile === undefined ? {} : { tlsCAFile: config.tlsCaFile }),
    ...(config.replicaSet === undefined ? {} : { replicaSet: config.replicaSet }),
    ...(config.retryWrites === undefined ? {} : { retryWrites: config.retryWrites }),
    ...(config.readPreference === undefined ? {} : { readPreference: config.readPreference }),
    ...(config.maxPoolSize === undefined ? {} : { maxPoolSize: config.maxPoolSize }),
  };
  return { uri, options };
}

/** Where the settings point, for logs: never a password. */
export function describeMongo(config: MongoConfig): string {
  if (config.url === undefined) return `mongodb ${config.host ?? '127.0.0.1'}:${config.port}/${config.database}`;
  return config.url.replace(/\/\/[^@/]*@/, '//').replace(/[?#].*$/, '');
}

function urlNamesDatabase(uri: string): boolean {
  // mongodb+srv and multi-host URLs are not WHATWG-parseable as a whole; the path is after the hosts.
  const afterScheme = uri.slice(uri.indexOf('://') + 3);
  const slash = afterScheme.indexOf('/');
  if (slash === -1) return false;
  const path = afterScheme.slice(slash + 1).split('?')[0] ?? '';
  return path !== '';
}

function hostPart(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
