import type { PublishOptions } from '../backplane/backplane.port.js';
import { AppError } from '../errors/app-error.js';
import type { AppHandler, RouteAuthorizer } from './app-destinations.js';
import { DestinationPattern } from './destination-pattern.js';
import { classifyDestination, userQueueDestination } from './destinations.js';

/** A topic family a deployment opened to client SENDs, with its own bounds. */
export interface ClientTopicOptions {
  readonly authorize: RouteAuthorizer;
  /** Larger SEND bodies are refused with PAYLOAD_TOO_LARGE. */
  readonly maxBodyBytes: number;
  /** Live only: no sequence, nothing kept for replay. */
  readonly ephemeral: boolean;
  /** What every publish to the family passes (e.g. the retention of its keys), made once. */
  readonly publishOptions: PublishOptions;
}

interface SendRoute {
  readonly pattern: DestinationPattern;
  readonly handler: AppHandler;
}

interface SubscribeRoute {
  readonly pattern: DestinationPattern;
  readonly authorize: RouteAuthorizer;
  /** Set when clients may also SEND straight to the family. */
  readonly clientTopic?: ClientTopicOptions;
}

/**
 * Where a SEND goes, resolved once per frame: the value the rest of the SEND path reads (the
 * handler's context, the guards, the authorizer) instead of parsing the destination again.
 */
export type SendTarget =
  | {
      readonly kind: 'app';
      readonly destination: string;
      readonly params: Record<string, string>;
      readonly handler: AppHandler;
    }
  | {
      readonly kind: 'topic';
      readonly destination: string;
      readonly params: Record<string, string>;
      readonly topic: ClientTopicOptions;
    };

/** What a SUBSCRIBE attaches to, resolved once per frame. */
export interface SubscribeTarget {
  readonly kind: 'topic' | 'user';
  /** The fan-out destination: the client's own, or the cluster-wide name of a user queue. */
  readonly destination: string;
  readonly params: Record<string, string>;
  readonly authorize: RouteAuthorizer;
}

/** A user queue is its subscriber's own by construction (see userQueueDestination). */
export const OWN_QUEUE: RouteAuthorizer = () => Promise.resolve();

/**
 * The destinations that exist; everything else is refused with DESTINATION_UNKNOWN (deny by
 * default). SEND goes to /app/… handlers, or to a client topic a deployment declared;
 * SUBSCRIBE goes to declared /topic/… and /user/queue/… families, each with its authorizer.
 * Routes are declared at bootstrap and tried in declaration order.
 */
export class DestinationRoutes {
  private readonly sends: SendRoute[] = [];
  private readonly subscribes: SubscribeRoute[] = [];

  /** SEND to `pattern` (under /app/) runs `handler`. */
  send(pattern: string, handler: AppHandler): void {
    requirePrefix(pattern, ['/app/']);
    this.sends.push({ pattern: new DestinationPattern(pattern), handler });
  }

  /** SUBSCRIBE to `pattern` (under /topic/ or /user/queue/) is allowed when `authorize` resolves. */
  subscribe(pattern: string, authorize: RouteAuthorizer): void {
    requirePrefix(pattern, ['/topic/', '/user/queue/']);
    this.subscribes.push({ pattern: new DestinationPattern(pattern), authorize });
  }

  /** A /topic/ family clients SUBSCRIBE to and SEND to directly (no handler in between). */
  clientTopic(pattern: string, options: ClientTopicOptions): void {
    requirePrefix(pattern, ['/topic/']);
    this.subscribes.push({
      pattern: new DestinationPattern(pattern),
      authorize: options.authorize,
      clientTopic: options,
    });
  }

  resolveSend(destination: string): SendTarget {
    const { kind } = classifyDestination(destination);
    if (kind === 'app') {
      for (const route of this.sends) {
        const params = route.pattern.match(destination);
        if (params !== undefined) return { kind, destination, params, handler: route.handler };
      }
      throw new AppError('DESTINATION_UNKNOWN', `no handler for ${destination}`);
    }
    if (kind === 'user') throw new AppError('DESTINATION_INVALID', `cannot send to ${destination}`);
    const found = this.findSubscribe(destination);
    if (found === undefined) throw unknownTopic(destination);
    if (found.route.clientTopic === undefined) {
      throw new AppError('AUTH_FORBIDDEN', `${destination} is published by the server; send to its /app destination`);
    }
    return { kind: 'topic', destination, params: found.params, topic: found.route.clientTopic };
  }

  resolveSubscribe(destination: string, userId: string): SubscribeTarget {
    const { kind, name } = classifyDestination(destination);
    if (kind === 'app') {
      throw new AppError(
        'DESTINATION_INVALID',
        `cannot subscribe to ${destination}: subscribe to /topic/… or /user/queue/…`,
      );
    }
    const found = this.findSubscribe(destination);
    if (found === undefined) throw unknownTopic(destination);
    return {
      kind,
      destination: kind === 'user' ? userQueueDestination(userId, name) : destination,
      params: found.params,
      authorize: found.route.authorize,
    };
  }

  private findSubscribe(destination: string): { route: SubscribeRoute; params: Record<string, string> } | undefined {
    for (const route of this.subscribes) {
      const params = route.pattern.match(destination);
      if (params !== undefined) return { route, params };
    }
    return undefined;
  }
}

function unknownTopic(destination: string): AppError {
  return new AppError('DESTINATION_UNKNOWN', `no topic family declares ${destination}`);
}

function requirePrefix(pattern: string, prefixes: readonly string[]): void {
  if (!prefixes.some((prefix) => pattern.startsWith(prefix) && pattern.length > prefix.length)) {
    throw new Error(`destination pattern '${pattern}' must start with ${prefixes.join(' or ')}`);
  }
}
