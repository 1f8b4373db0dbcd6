import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ErrorResponseDto } from './error-response.dto.js';

export const BEARER_AUTH = 'bearer';

/** Builds the OpenAPI document from decorators and DTOs and serves it with Swagger UI. */
export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Taproom API')
    .setDescription(
      'Ordering, a live bar queue and an admin console. Every error has the body `ErrorResponseDto` (`statusCode`, `code`, `message`, `details`). ' +
        'Sign in with `POST /api/auth/login` and use the access token as a bearer token.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, BEARER_AUTH)
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ErrorResponseDto] });
  SwaggerModule.setup('api/docs', app, document, {
    jsonDocumentUrl: 'api/docs-json',
    yamlDocumentUrl: 'api/docs-yaml',
    customSiteTitle: 'Taproom API',
  });
}
