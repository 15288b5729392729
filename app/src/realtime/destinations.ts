import { AppError } from '../errors/app-error.js';

/** Where a destination goes: broadcast topics, application handlers, or per-user queues. */
export type DestinationKind = 'topic' | 'app' | 'user';

const PREFIXES: ReadonlyArray<readonly [string, DestinationKind]> = [
  ['/topic/', 'topic'],
  ['/app/', 'app'],
  ['/user/queue/', 'user'],
];

const MAX_DESTINATION_LENGTH = 256;
// Printable ASCII without spaces keeps destinations safe in logs, metrics and Redis keys.
const DESTINATION_CHARS = /^[\x21-\x7e]+$/;

/** Classifies a destination or throws the error a client should see. */
export function classifyDestination(destination: string): { kind: DestinationKind; name: string } {
  if (destination.length > MAX_DESTINATION_LENGTH || !DESTINATION_CHARS.test(destination)) {
    throw new AppError(
      'DESTINATION_INVALID',
      `destination must be 1-${MAX_DESTINATION_LENGTH} printable characters without spaces`,
    );
  }
  for (const [prefix, kind] of PREFIXES) {
    if (destination.startsWith(prefix) && destination.length > prefix.length) {
      return { kind, name: destination.slice(prefix.length) };
    }
  }
  throw new AppError(
    'DESTINATION_UNKNOWN',
    `unknown destination '${destination}': use /topic/…, /app/… or /user/queue/…`,
  );
}

const USER_QUEUE_PREFIX = '/user/queue/';
const INTERNAL_USER_PREFIX = '/user/';

/**
 * The cluster-wide destination behind one user's `/user/queue/<name>`: every session of that
 * user, on any instance, subscribes to it. Clients cannot name it themselves (it does not start
 * with `/user/queue/`), so a user only ever reaches their own queues.
 */
export function userQueueDestination(userId: string, name: string): string {
  return `${INTERNAL_USER_PREFIX}${encodeURIComponent(userId)}/queue/${name}`;
}

/** What a client sees in MESSAGE `destination`: the name it subscribed to. */
export function clientDestination(destination: string): string {
  if (!destination.startsWith(INTERNAL_USER_PREFIX) || destination.startsWith(USER_QUEUE_PREFIX)) return destination;
  const queueAt = destination.indexOf('/queue/', INTERNAL_USER_PREFIX.length);
  return queueAt < 0 ? destination : `${USER_QUEUE_PREFIX}${destination.slice(queueAt + '/queue/'.length)}`;
}
