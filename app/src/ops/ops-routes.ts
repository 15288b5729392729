import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The operator-only routes: metrics, readiness and the API documents. With OPS_PORT set they
 * answer only on that port (reached inside the VPC, never through the load balancer); on the
 * public port they are 404 like any unknown path.
 */
const OPS_PATHS = ['/metrics', '/readyz', '/docs', '/docs-json'];

/**
 * Whether `path` is one of the ops routes. Case-insensitive and ignoring a trailing slash and
 * anything below /docs, because Express routes match that way: `/Metrics/` reaches the same
 * handler as `/metrics`.
 */
export function isOpsPath(path: string): boolean {
  const normalized = path.toLowerCase().replace(/\/+$/, '') || '/';
  return OPS_PATHS.includes(normalized) || normalized.startsWith('/docs/');
}

type Next = () => void;
type HttpHandler = (request: IncomingMessage, response: ServerResponse) => void;

/** Set on requests that came in through the ops listener. */
const VIA_OPS_LISTENER = Symbol('viaOpsListener');
type OpsAwareRequest = IncomingMessage & { path?: string; [VIA_OPS_LISTENER]?: true };

/**
 * Express middleware for the public listener: 404 (the API's JSON error shape) for an ops route
 * that did not come in through the ops listener.
 */
export function opsRoutesOnlyOnOpsListener() {
  return (request: OpsAwareRequest, response: ServerResponse, next: Next): void => {
    const path = request.path ?? new URL(request.url ?? '/', 'http://localhost').pathname;
    if (!isOpsPath(path) || request[VIA_OPS_LISTENER] === true) {
      next();
      return;
    }
    response.statusCode = 404;
    response.setHeader('content-type', 'application/json; charset=utf-8');
    response.end(JSON.stringify({ error: { code: 'NOT_FOUND', message: `Cannot ${request.method} ${path}` } }));
  };
}

/** The handler of the ops listener: the same application, with its requests marked as ops. */
export function opsListenerHandler(application: HttpHandler): HttpHandler {
  return (request, response) => {
    (request as OpsAwareRequest)[VIA_OPS_LISTENER] = true;
    application(request, response);
  };
}
