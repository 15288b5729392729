import { createRequire } from 'node:module';
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/**
 * Serves the OpenAPI document at /docs-json, and the Swagger UI at /docs when the
 * swagger-ui-dist assets are installed (they come with @nestjs/swagger, but a slimmed
 * production image may drop them; the JSON document needs nothing extra).
 */
export function setupOpenApi(app: INestApplication, info: { title: string; version: string }): { ui: boolean } {
  const config = new DocumentBuilder()
    .setTitle(info.title)
    .setVersion(info.version)
    .setDescription('REST API of the chat service. Real-time messaging is STOMP 1.2 over WebSocket at /ws.')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  const ui = swaggerUiAvailable();
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', raw: ['json'], ui });
  return { ui };
}

function swaggerUiAvailable(): boolean {
  try {
    createRequire(import.meta.url).resolve('swagger-ui-dist/absolute-path.js');
    return true;
  } catch {
    return false;
  }
}
