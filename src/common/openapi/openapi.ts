import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ErrorCode, statusOf } from '../errors/error-code.js';
import { ErrorResponseDto } from './error-response.dto.js';
import { errorExampleOf } from './api-errors.decorator.js';

export const BEARER_AUTH = 'bearer';

/** Builds the OpenAPI document from decorators and DTOs and serves it with Swagger UI. */
export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Taproom API')
    .setDescription(
      'Ordering, a live bar queue and an admin console. Every error has the body `ErrorResponseDto` (`statusCode`, `code`, `message`, `details`). ' +
        'Sign in with `POST /api/auth/login` and use the access token as a bearer token. ' +
        'Integrations use an API token (`tap_…`, made by an admin with `POST /api/tokens`) as the bearer token instead: ' +
        'it may call only the operations whose `x-token-scope` is one of its scopes; `x-session-only` operations refuse it (`403 FORBIDDEN`).',
    )
    .setVersion('1')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT or tap_ API token',
        description:
          "A session's access token (a JWT from sign-in or refresh), or an admin's API token (`tap_…`): paste either without the `Bearer ` prefix.",
      },
      BEARER_AUTH,
    )
    .build();
  const document = addCommonResponses(
    SwaggerModule.createDocument(app, config, { extraModels: [ErrorResponseDto] }),
  );
  SwaggerModule.setup('api/docs', app, document, {
    jsonDocumentUrl: 'api/docs-json',
    yamlDocumentUrl: 'api/docs-yaml',
    customSiteTitle: 'Taproom API',
  });
}

/**
 * The errors any operation can answer, whatever its own decorators list: a malformed request
 * (bad JSON, an undeclared query parameter, a header that is too big) is 400, a body over
 * 100 kB is 413 and one that is not JSON is 415 where there is a body, and a database outage is
 * 503 everywhere. Each is added where the operation does not list that status already.
 */
function addCommonResponses(document: OpenAPIObject): OpenAPIObject {
  const schema = { $ref: `#/components/schemas/${ErrorResponseDto.name}` };
  for (const path of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = path[method];
      if (!operation) continue;
      const codes = [
        ErrorCode.VALIDATION_FAILED,
        ...(operation.requestBody
          ? [ErrorCode.PAYLOAD_TOO_LARGE, ErrorCode.UNSUPPORTED_MEDIA_TYPE]
          : []),
        ErrorCode.SERVICE_UNAVAILABLE,
      ];
      for (const code of codes) {
        const status = String(statusOf(code));
        operation.responses[status] ??= {
          description: code,
          content: { 'application/json': { schema, examples: { [code]: errorExampleOf(code) } } },
        };
      }
    }
  }
  return document;
}
