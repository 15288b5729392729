import { dirname } from 'node:path';
import { createRequire } from 'node:module';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppErrorFilter } from './app-error.filter.js';
import { applyOpenApiDecorators } from './openapi-decorators.js';

const DOCS = '/docs';
const DOCUMENT = '/docs-json';

/** The parts of Express's request handling these routes use. */
interface Response {
  type(type: string): Response;
  status(code: number): Response;
  send(body: string): unknown;
  json(body: unknown): unknown;
}
type Handler = (request: unknown, response: Response) => void;
interface Routes {
  get(path: string | string[], handler: Handler): unknown;
}

/**
 * Serves the OpenAPI document at /docs-json, and the Swagger UI at /docs when the
 * swagger-ui-dist assets are installed (they come with @nestjs/swagger, but a slimmed
 * production image may drop them; the JSON document needs nothing extra).
 *
 * Nothing of @nestjs/swagger is loaded until the first of these requests: then it is imported,
 * the recorded decorators are applied (openapi-decorators.ts) and the document is built once.
 * The routes are registered now, before Nest's own, so they come first.
 */
export function setupOpenApi(app: INestApplication, info: { title: string; version: string }): { ui: boolean } {
  const routes = app.getHttpAdapter().getInstance() as Routes;
  let document: Promise<string> | undefined;
  const serialized = (): Promise<string> => (document ??= buildDocument(app, info));
  routes.get(DOCUMENT, (_request, response) => {
    serialized().then(
      (json) => response.type('application/json').send(json),
      (error: unknown) => {
        document = undefined; // the next request tries again
        const { status, body } = new AppErrorFilter().render(error);
        response.status(status).json(body);
      },
    );
  });
  const assets = swaggerUiAssets();
  if (assets !== undefined) {
    const page = uiPage(info.title);
    routes.get([DOCS, `${DOCS}/`, `${DOCS}/index.html`], (_request, response) => response.type('html').send(page));
    routes.get(`${DOCS}/swagger-ui-init.js`, (_request, response) =>
      response.type('application/javascript').send(UI_INIT),
    );
    (app as NestExpressApplication).useStaticAssets(assets, { prefix: DOCS, index: false });
  }
  return { ui: assets !== undefined };
}

async function buildDocument(app: INestApplication, info: { title: string; version: string }): Promise<string> {
  const swagger = await import('@nestjs/swagger');
  applyOpenApiDecorators(swagger);
  const config = new swagger.DocumentBuilder()
    .setTitle(info.title)
    .setVersion(info.version)
    .setDescription('REST API of the chat service. Real-time messaging is STOMP 1.2 over WebSocket at /ws.')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  return JSON.stringify(swagger.SwaggerModule.createDocument(app, config));
}

/** The directory of swagger-ui-dist's files, found without loading the package; undefined if absent. */
function swaggerUiAssets(): string | undefined {
  try {
    return dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/absolute-path.js'));
  } catch {
    return undefined;
  }
}

// Absolute paths: /docs and /docs/ both load the same files.
function uiPage(title: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<title>${escapeHtml(title)} API</title>
<link rel="stylesheet" type="text/css" href="${DOCS}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${DOCS}/swagger-ui-bundle.js" charset="UTF-8"></script>
<script src="${DOCS}/swagger-ui-standalone-preset.js" charset="UTF-8"></script>
<script src="${DOCS}/swagger-ui-init.js" charset="UTF-8"></script>
</body>
</html>
`;
}

const UI_INIT = `window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: '${DOCUMENT}',
    dom_id: '#swagger-ui',
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'StandaloneLayout',
  });
};
`;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
