import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClient } from '@hey-api/openapi-ts';
import { fetchOpenApi } from '../support/openapi.js';
import { type TestApp, startAppOnNewDatabase } from '../support/test-app.js';

/** The apps' API types, generated from the server's OpenAPI document (npm run api:types). */
const GENERATED = join(
  import.meta.dirname,
  '../../packages/web-core/src/api/generated/types.gen.ts',
);

/** The types @hey-api/openapi-ts writes for `document`. */
async function generatedTypes(document: unknown): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'taproom-api-types-'));
  const input = join(dir, 'openapi.json');
  writeFileSync(input, JSON.stringify(document));
  await createClient({
    input,
    output: { path: join(dir, 'out') },
    plugins: ['@hey-api/typescript'],
    logs: { level: 'silent' },
  });
  return readFileSync(join(dir, 'out', 'types.gen.ts'), 'utf8');
}

describe('the apps’ API types', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startAppOnNewDatabase();
  });
  afterAll(() => app.close());

  it('are the ones generated from the server’s OpenAPI document', async () => {
    const types = await generatedTypes(await fetchOpenApi(app.url));
    if (process.env.UPDATE_API_TYPES === '1') writeFileSync(GENERATED, types);
    // Out of date: run npm run api:types, then fix what the compiler finds in the apps.
    expect(readFileSync(GENERATED, 'utf8')).toBe(types);
  });
});
