import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '../http/openapi-decorators.js';
import { AppError } from '../errors/app-error.js';

/** The slice of Express's response used here (express types are not a dependency). */
interface HttpResponse {
  set(headers: Record<string, string>): HttpResponse;
  type(contentType: string): HttpResponse;
  send(body: Buffer): void;
}

/** What `npm run build` puts in dist/web (client/web/build.mjs). */
const FILES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'chat.css': 'text/css; charset=utf-8',
};

// Everything comes from this origin: no CDN, no inline script; WebSockets to this host only.
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/**
 * The compiled server runs from dist/app/src/web, next to dist/web; tests run the sources from
 * app/src/web, so the bundle is then in dist/web at the repository root.
 */
function bundleDirectories(): string[] {
  return [new URL('../../../web/', import.meta.url), new URL('../../../dist/web/', import.meta.url)].map((url) =>
    fileURLToPath(url),
  );
}

function loadBundle(): Map<string, Buffer> | undefined {
  for (const directory of bundleDirectories()) {
    try {
      return new Map(Object.keys(FILES).map((name) => [name, readFileSync(`${directory}${name}`)]));
    } catch {
      // Not built into this directory; try the next one.
    }
  }
  return undefined;
}

/** GET / and /web/*: the browser chat, a static bundle read once at start-up. */
@ApiExcludeController()
@Controller()
export class WebUiController {
  private readonly bundle = loadBundle();

  @Get()
  index(@Res() response: HttpResponse): void {
    this.serve('index.html', response);
  }

  @Get('web/:file')
  asset(@Param('file') file: string, @Res() response: HttpResponse): void {
    this.serve(file, response);
  }

  private serve(name: string, response: HttpResponse): void {
    const type = FILES[name];
    if (type === undefined) throw new AppError('NOT_FOUND', `no such file: /web/${name}`);
    const body = this.bundle?.get(name);
    if (body === undefined) throw new AppError('NOT_FOUND', 'the browser chat is not built: run npm run build');
    response
      .set({ ...SECURITY_HEADERS, 'cache-control': 'no-cache' })
      .type(type)
      .send(body);
  }
}
