/**
 * The OpenAPI 3 document the running app serves (`GET /api/docs-json`), as Nest's generator writes
 * it: its types, fetching it, `$ref`/`allOf` resolution and its operations. The security suite
 * (test/security/api-surface.ts) and the fuzz suite (test/fuzz/openapi-arbitraries.ts) build their
 * own views of the operations on these.
 */
import { request } from './http.js';

export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  pattern?: string;
  enum?: unknown[];
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  nullable?: boolean;
  example?: unknown;
  default?: unknown;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

type Content = Record<string, { schema?: Schema } | undefined>;

interface RawOperation {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Content };
  responses?: Record<string, { content?: Content }>;
  security?: Record<string, string[]>[];
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, RawOperation>>;
  components: { schemas: Record<string, Schema | undefined> };
}

/** One documented operation, as the document gives it. */
export interface DocumentedOperation {
  /** `METHOD /path/{param}` */
  readonly key: string;
  readonly method: string;
  readonly path: string;
  readonly raw: RawOperation;
}

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

export async function fetchOpenApi(baseUrl: string): Promise<OpenApiDocument> {
  const response = await request<OpenApiDocument>(`${baseUrl}/api/docs-json`);
  if (response.status !== 200) throw new Error(`docs-json: ${response.status}`);
  return response.body;
}

/** Every operation of the document, in a stable order (so a fuzz seed means the same requests). */
export function documentedOperations(document: OpenApiDocument): DocumentedOperation[] {
  const operations: DocumentedOperation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, raw] of Object.entries(item)) {
      if (!METHODS.has(method)) continue;
      operations.push({
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        raw,
      });
    }
  }
  return operations.sort((a, b) => a.key.localeCompare(b.key));
}

/**
 * Follows `$ref`s (keeping the properties set beside them) and folds `allOf` into one schema: the
 * later parts win over the earlier ones, and the schema's own properties over all of them.
 */
export function resolveSchema(
  document: OpenApiDocument,
  schema: Schema | undefined,
): Schema | undefined {
  if (schema === undefined) return undefined;
  if (schema.$ref !== undefined) {
    const { $ref, ...siblings } = schema;
    const target = document.components.schemas[$ref.replace('#/components/schemas/', '')];
    if (target === undefined) throw new Error(`unresolved ${$ref}`);
    return resolveSchema(document, { ...target, ...siblings });
  }
  if (schema.allOf !== undefined) {
    const { allOf, ...rest } = schema;
    const parts = allOf.map((part) => resolveSchema(document, part));
    return resolveSchema(document, Object.assign({}, ...parts, rest) as Schema);
  }
  return schema;
}
