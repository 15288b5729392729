import type { StompHeaders } from '../stomp/frame.js';
import type { Principal } from './auth/principal.js';

/** What an application handler receives for a SEND to /app/…, like Spring's @MessageMapping. */
export interface AppSendContext {
  readonly principal: Principal;
  readonly sessionId: string;
  readonly destination: string;
  /** Values of the `{name}` placeholders of the matched pattern. */
  readonly params: Readonly<Record<string, string>>;
  readonly headers: StompHeaders;
  readonly body: Buffer;
  /** Replaces the session's principal, e.g. after an in-band token renewal. */
  renewPrincipal(principal: Principal): void;
}

/** What a handler may add to the SEND's RECEIPT (e.g. the x-seq its message got). */
export interface AppSendResult {
  readonly receiptHeaders?: ReadonlyArray<readonly [string, string]>;
}

export type AppHandler = (context: AppSendContext) => Promise<void | AppSendResult>;

interface Route {
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly handler: AppHandler;
}

/**
 * Routes `/app/<name>` to handlers registered by pattern, e.g. `rooms.{roomId}`. A placeholder
 * matches one segment: no dots and no slashes.
 */
export class AppDestinationRegistry {
  private readonly routes: Route[] = [];

  register(pattern: string, handler: AppHandler): void {
    const names: string[] = [];
    const source = pattern
      .split(/(\{[a-zA-Z]+\})/)
      .map((part) => {
        const placeholder = /^\{([a-zA-Z]+)\}$/.exec(part);
        if (placeholder === null) return part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
        names.push(placeholder[1]!);
        return '([^./]+)';
      })
      .join('');
    this.routes.push({ pattern: new RegExp(`^${source}$`), names, handler });
  }

  /** `name` is the destination without its `/app/` prefix. */
  resolve(name: string): { handler: AppHandler; params: Record<string, string> } | undefined {
    for (const route of this.routes) {
      const match = route.pattern.exec(name);
      if (match === null) continue;
      const params: Record<string, string> = {};
      route.names.forEach((paramName, index) => {
        params[paramName] = match[index + 1]!;
      });
      return { handler: route.handler, params };
    }
    return undefined;
  }
}
