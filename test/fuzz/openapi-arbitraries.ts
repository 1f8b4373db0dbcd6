/**
 * fast-check arbitraries for the operations of an OpenAPI 3 document: requests drawn from each
 * operation's schemas (path and query parameters, headers, JSON body, `$ref`s resolved), either
 * valid-looking or broken in one named way. Values are plain data, so fast-check can print and
 * shrink them; ids the server handed out are placeholders ({@link KnownId}) resolved when sent.
 */
import fc from 'fast-check';
import {
  type OpenApiDocument,
  type Parameter,
  type Schema,
  documentedOperations,
  resolveSchema,
} from '../support/openapi.js';

export interface Operation {
  /** `METHOD /path/{param}` */
  readonly key: string;
  readonly method: string;
  readonly path: string;
  readonly parameters: readonly Parameter[];
  readonly body: Schema | undefined;
  readonly secured: boolean;
  readonly streams: boolean;
  /** Answers a CSV file (an export) rather than JSON. */
  readonly csv: boolean;
  readonly documentedStatuses: readonly number[];
}

/** Every operation of the document, in a stable order (so a seed means the same requests). */
export function operationsOf(document: OpenApiDocument): Operation[] {
  return documentedOperations(document).map(({ key, method, path, raw }) => ({
    key,
    method,
    path,
    parameters: raw.parameters ?? [],
    body: raw.requestBody?.content?.['application/json']?.schema,
    secured: (raw.security ?? []).length > 0,
    streams: Object.values(raw.responses ?? {}).some(
      (response) => response.content?.['text/event-stream'] !== undefined,
    ),
    csv: Object.values(raw.responses ?? {}).some(
      (response) => response.content?.['text/csv'] !== undefined,
    ),
    documentedStatuses: Object.keys(raw.responses ?? {}).map(Number),
  }));
}

/** An id the server handed out earlier: the n-th one of its kind (modulo how many there are). */
export interface KnownId {
  $knownId: number;
  /** What it names, as a stem: `menuitem`, `order`, `user`, `session`. */
  kind: string;
}

/** `menuItemId`, `menu-items`, `users` → `menuitem`, `menuitem`, `user`. */
export function kindStem(name: string): string {
  return name
    .replace(/Id$/, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '')
    .replace(/s$/, '');
}

export function isKnownId(value: unknown): value is KnownId {
  return typeof value === 'object' && value !== null && '$knownId' in value;
}

type Body =
  | { kind: 'json'; value: unknown }
  | { kind: 'text'; contentType: string | undefined; text: string }
  | { kind: 'none' };

/** Whose token goes in the Authorization header. */
export type Auth =
  { kind: 'allowed' } | { kind: 'none' } | { kind: 'other-role' } | { kind: 'raw'; header: string };

export interface FuzzRequest {
  readonly operation: string;
  /** `valid` when every part was drawn from the schema; otherwise what was broken. */
  readonly mutation: string;
  readonly pathParams: Record<string, unknown>;
  /** Pre-encoded path values (broken encodings on purpose), used instead of pathParams. */
  readonly rawPath?: Record<string, string>;
  readonly query: [string, unknown][];
  readonly headers: Record<string, unknown>;
  readonly auth: Auth;
  /** Picks one of the accounts the auth kind allows. */
  readonly actor: number;
  readonly body: Body;
}

// ---------------------------------------------------------------------------------------------
// Schemas

export class SchemaResolver {
  constructor(private readonly document: OpenApiDocument) {}

  /** The schema with its `$ref`s and `allOf` resolved (see `resolveSchema`), and its type. */
  resolve(raw: Schema | undefined): Schema {
    const schema = resolveSchema(this.document, raw) ?? {};
    // `page` is documented with a minimum but no type (its TypeScript type is a union).
    if (schema.type === undefined && schema.enum === undefined && schema.minimum !== undefined) {
      return { ...schema, type: 'integer' };
    }
    const noProperties = Object.keys(schema.properties ?? {}).length === 0;
    if (schema.type === 'object' && noProperties && schema.minimum !== undefined) {
      return { ...schema, type: 'integer' };
    }
    return schema;
  }
}

/** Property and parameter names that carry an id of something the server made. */
function isIdName(name: string): boolean {
  return name === 'id' || name.endsWith('Id');
}

/** A copy of an object without one key. */
function without<T extends object>(value: T, key: string): Partial<T> {
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  Reflect.deleteProperty(copy, key);
  return copy as Partial<T>;
}

function idValue(kind: string): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.nat({ max: 10_000 }).map((n): KnownId => ({ $knownId: n, kind })) },
    { weight: 1, arbitrary: fc.uuid() },
  );
}

const textUnits = fc.constantFrom<'grapheme-ascii' | 'grapheme' | 'binary'>(
  'grapheme-ascii',
  'grapheme-ascii',
  'grapheme',
  'binary',
);

function validString(name: string, schema: Schema): fc.Arbitrary<unknown> {
  if (schema.format === 'uuid' || isIdName(name)) return idValue(kindStem(name));
  if (schema.format === 'email' || /email/i.test(name)) {
    return fc.emailAddress().filter((email) => email.length <= (schema.maxLength ?? 254));
  }
  const dates = fc.date({
    // Within one year: ranges such as a sales report's are limited to 366 days.
    min: new Date('2026-06-01T00:00:00Z'),
    max: new Date('2027-05-31T23:59:59Z'),
    noInvalidDate: true,
  });
  if (schema.format === 'date-time') return dates.map((date) => date.toISOString());
  if (schema.format === 'date') return dates.map((date) => date.toISOString().slice(0, 10));
  const minLength = Math.max(schema.minLength ?? 0, /password/i.test(name) ? 16 : 0);
  const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? 60, minLength + 60));
  const text = textUnits.chain((unit) =>
    fc.string({ unit, minLength, maxLength }).filter((value) => !value.includes('\u0000')),
  );
  const example = schema.example;
  // A documented example is what a client would send; random text probes the rest.
  return typeof example === 'string'
    ? fc.oneof({ weight: 3, arbitrary: fc.constant(example) }, { weight: 1, arbitrary: text })
    : text;
}

function validNumber(schema: Schema): fc.Arbitrary<number> {
  const min = schema.minimum ?? 0;
  const max = schema.maximum ?? Math.max(min + 1_000, 1_000);
  const numbers = fc.integer({ min: Math.ceil(min), max: Math.floor(max) });
  // Over a wide range (an amount of money, up to a limit far above any bill), a documented
  // example is what a client would send: most of the range is valid yet more than an order's
  // balance, so drawn values alone would never get through.
  const example = schema.example;
  const wide = max - min > 100_000;
  const usable =
    typeof example === 'number' && Number.isInteger(example) && example >= min && example <= max;
  return wide && usable
    ? fc.oneof({ weight: 1, arbitrary: fc.constant(example) }, { weight: 2, arbitrary: numbers })
    : numbers;
}

/** A value the schema accepts (as far as the document can tell: business rules aside). */
function validValue(
  resolver: SchemaResolver,
  name: string,
  raw: Schema | undefined,
  depth = 0,
): fc.Arbitrary<unknown> {
  const schema = resolver.resolve(raw);
  let arbitrary: fc.Arbitrary<unknown>;
  if (schema.enum) arbitrary = fc.constantFrom(...schema.enum);
  else if (schema.pattern !== undefined) arbitrary = fc.stringMatching(new RegExp(schema.pattern));
  else {
    switch (schema.type) {
      case 'string':
        arbitrary = validString(name, schema);
        break;
      case 'integer':
      case 'number':
        arbitrary = validNumber(schema);
        break;
      case 'boolean':
        arbitrary = fc.boolean();
        break;
      case 'array':
        arbitrary = fc.array(validValue(resolver, name, schema.items, depth + 1), {
          minLength: schema.minItems ?? 0,
          maxLength: Math.min(schema.maxItems ?? 3, Math.max(schema.minItems ?? 0, 3)),
        });
        break;
      case 'object':
        arbitrary = validObject(resolver, schema, depth);
        break;
      case undefined:
      default:
        arbitrary = fc.jsonValue({ maxDepth: 2 });
    }
  }
  // A documented example is what a client would send; generated values probe the rest.
  if (Array.isArray(schema.example)) {
    arbitrary = fc.oneof({ weight: 2, arbitrary: fc.constant(schema.example) }, arbitrary);
  }
  return schema.nullable ? fc.option(arbitrary, { nil: null, freq: 4 }) : arbitrary;
}

function validObject(
  resolver: SchemaResolver,
  schema: Schema,
  depth: number,
): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, property] of Object.entries(properties)) {
    model[name] = validValue(resolver, name, property, depth + 1);
  }
  return fc.record(model, { requiredKeys: schema.required ?? [] });
}

// ---------------------------------------------------------------------------------------------
// Broken values

/** Strings that have broken parsers, validators and databases before. */
const nastyString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\ud800',
    '\udfff\ud800',
    '\u202e\u0646\u0635',
    '\ufeff',
    '🍺'.repeat(50),
    'Z̴̡̛̙͎a̷̧l̶g̵o̵',
    "' OR '1'='1",
    "'; DROP TABLE users; --",
    '%00',
    '%',
    '../../etc/passwd',
    '<script>alert(1)</script>',
    '{{7*7}}',
    '${7*7}',
    'null',
    'undefined',
    'NaN',
    '-0',
    '1e999',
    '0x1f',
    'true',
    '[]',
    '{}',
    '\r\n\r\n',
    '\\',
    '"',
    '2026-02-30',
    '9999-99-99T99:99:99Z',
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
    '123e4567-e89b-12d3-a456-42661417400',
    '__proto__',
    'constructor',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.integer({ min: 200, max: 20_000 }).map((n) => 'x'.repeat(n)),
);

/** Numbers just outside, far outside or beside every range. */
const nastyNumber: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    -1,
    0,
    -0,
    0.5,
    1.5,
    1e308,
    -1e308,
    2 ** 31,
    -(2 ** 31) - 1,
    2 ** 53 + 2,
    Number.MAX_SAFE_INTEGER,
    Number.MIN_SAFE_INTEGER,
    1e-300,
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);

/** Anything JSON can carry, other than what the schema wants. */
function wrongTypeFor(schema: Schema): fc.Arbitrary<unknown> {
  const options: fc.Arbitrary<unknown>[] = [
    fc.constant(null),
    fc.constant([]),
    fc.constant({}),
    fc.array(fc.jsonValue({ maxDepth: 1 }), { minLength: 1, maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
  ];
  if (schema.type !== 'string') options.push(nastyString);
  if (schema.type !== 'number' && schema.type !== 'integer') options.push(nastyNumber);
  if (schema.type !== 'boolean') options.push(fc.boolean());
  return fc.oneof(...options);
}

/**
 * A value nested `depth` levels in arrays or objects, as a marker the client expands into JSON
 * text when it sends it (printing or serialising the value itself would overflow the stack).
 */
export interface DeepValue {
  $deep: number;
  arrays: boolean;
}

export function isDeepValue(value: unknown): value is DeepValue {
  return typeof value === 'object' && value !== null && '$deep' in value;
}

/** The JSON text of a {@link DeepValue}. */
export function deepJson(value: DeepValue): string {
  return value.arrays
    ? '['.repeat(value.$deep) + '1' + ']'.repeat(value.$deep)
    : '{"a":'.repeat(value.$deep) + '1' + '}'.repeat(value.$deep);
}

const deepValue: fc.Arbitrary<DeepValue> = fc.record({
  $deep: fc.integer({ min: 33, max: 4_000 }),
  arrays: fc.boolean(),
});

const extraPropertyName = fc.oneof(
  fc.constantFrom(
    'role',
    'price',
    'priceCents',
    'status',
    'customerId',
    'userId',
    'id',
    'active',
    'version',
    'isAdmin',
    '__proto__',
    'constructor',
    'prototype',
  ),
  fc.string({ minLength: 1, maxLength: 20 }),
);

function propertiesOf(resolver: SchemaResolver, schema: Schema): [string, Schema][] {
  return Object.entries(resolver.resolve(schema).properties ?? {}).map(([name, property]) => [
    name,
    resolver.resolve(property),
  ]);
}

/** One named way of breaking a JSON body that would otherwise be valid. */
function brokenBody(resolver: SchemaResolver, raw: Schema): fc.Arbitrary<[string, Body]> {
  const schema = resolver.resolve(raw);
  const valid = validValue(resolver, 'body', schema) as fc.Arbitrary<Record<string, unknown>>;
  const properties = propertiesOf(resolver, schema);
  const required = schema.required ?? [];
  const json = (mutation: string, value: fc.Arbitrary<unknown>): fc.Arbitrary<[string, Body]> =>
    value.map((body) => [mutation, { kind: 'json', value: body }]);
  const withProperty = (
    mutation: string,
    candidates: [string, Schema][],
    replacement: (schema: Schema) => fc.Arbitrary<unknown>,
  ): fc.Arbitrary<[string, Body]> | undefined =>
    candidates.length === 0
      ? undefined
      : json(
          mutation,
          fc
            .tuple(valid, fc.constantFrom(...candidates))
            .chain(([body, [name, property]]) =>
              replacement(property).map((value) => ({ ...body, [name]: value })),
            ),
        );
  const strings = properties.filter(([, property]) => property.type === 'string');
  const numbers = properties.filter(
    ([, property]) => property.type === 'number' || property.type === 'integer',
  );
  const arrays = properties.filter(([, property]) => property.type === 'array');
  const text = (contentType: string | undefined, body: fc.Arbitrary<string>) =>
    body.map((value): Body => ({ kind: 'text', contentType, text: value }));
  const candidates = [
    required.length === 0
      ? undefined
      : json(
          'body: a required property missing',
          fc.tuple(valid, fc.constantFrom(...required)).map(([body, name]) => without(body, name)),
        ),
    withProperty('body: a property of the wrong type', properties, wrongTypeFor),
    json(
      'body: an unknown property',
      fc
        .tuple(valid, extraPropertyName, fc.jsonValue({ maxDepth: 2 }))
        .map(([body, name, value]) => {
          const copy: Record<string, unknown> = { ...body };
          Object.defineProperty(copy, name, { value, enumerable: true, writable: true });
          return copy;
        }),
    ),
    withProperty('body: a nasty string', strings, () => nastyString),
    withProperty('body: a huge string', strings, () =>
      fc.integer({ min: 1_000, max: 120_000 }).map((n) => 'é'.repeat(n)),
    ),
    withProperty('body: a number out of range', numbers, () => nastyNumber),
    withProperty('body: an array with odd elements', arrays, () =>
      fc.oneof(
        fc.constant([]),
        fc.array(fc.jsonValue({ maxDepth: 2 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 31, max: 2_000 }).map((n) => Array.from({ length: n }, () => ({}))),
      ),
    ),
    withProperty('body: a deeply nested value', properties, () => deepValue),
    json('body: deeply nested itself', deepValue),
    json(
      'body: not an object',
      fc.oneof(
        fc.constant(null),
        fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
        fc.string({ maxLength: 20 }),
        fc.integer(),
        fc.boolean(),
      ),
    ),
    text(
      'application/json',
      fc.oneof(
        fc.constantFrom('{', '{"a":', '{"a":1,}', "{'a':1}", '[1,2', 'nul', '{"a":1}}', '\u0000'),
        fc.string({ unit: 'binary', maxLength: 60 }),
        valid.map((body) => JSON.stringify(body).slice(0, -1)),
      ),
    ).map((body): [string, Body] => ['body: malformed JSON', body]),
    fc
      .tuple(
        fc.constantFrom(
          undefined,
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/xml',
          'application/jsonx',
          'application/json; charset=utf-16',
          'application/json; charset=latin1',
          'application/vnd.api+json',
          '*/*',
          'json',
          '',
        ),
        valid.map((body) => JSON.stringify(body)),
      )
      .map(([contentType, body]): [string, Body] => [
        'body: a wrong content type',
        { kind: 'text', contentType, text: body },
      ]),
    fc.constant<[string, Body]>([
      'body: empty with a JSON content type',
      { kind: 'text', contentType: 'application/json', text: '' },
    ]),
    fc.constant<[string, Body]>(['body: none at all', { kind: 'none' }]),
  ];
  return fc.oneof(
    ...candidates.filter((candidate): candidate is fc.Arbitrary<[string, Body]> => !!candidate),
  );
}

/** Header values a client might send by mistake or on purpose (fetch refuses CR, LF and NUL). */
const oddHeaderValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', 'null', 'Bearer', 'Bearer ', 'Basic YWRtaW46YWRtaW4=', 'bearer x', '\u00ff'),
  // Visible ASCII and Latin-1 (Node's client refuses control characters, DEL included).
  fc.string({
    unit: fc
      .integer({ min: 0x20, max: 0xff })
      .filter((c) => c < 0x7f || c >= 0x80)
      .map((c) => String.fromCharCode(c)),
  }),
  fc.integer({ min: 256, max: 12_000 }).map((n) => 'k'.repeat(n)),
);

const garbageAuthorization: fc.Arbitrary<string> = fc.oneof(
  oddHeaderValue,
  oddHeaderValue.map((value) => `Bearer ${value}`),
  fc
    .tuple(fc.base64String(), fc.base64String(), fc.base64String())
    .map(([a, b, c]) => `Bearer eyJ${a}.${b}.${c}`),
  fc.constant(
    // alg none, expired, signed by no one
    'Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJ4Iiwicm9sZSI6ImFkbWluIiwiZXhwIjoxfQ.',
  ),
);

// ---------------------------------------------------------------------------------------------
// Requests

/** Percent-encodes a path segment, lone surrogates included (encodeURIComponent throws on them). */
export function encodePathSegment(value: string): string {
  let encoded = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte);
    encoded += /[A-Za-z0-9\-_.~]/.test(char)
      ? char
      : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}

function parameterValue(
  resolver: SchemaResolver,
  parameter: Parameter,
  path: string,
): fc.Arbitrary<unknown> {
  if (parameter.in === 'path' && parameter.name === 'id') {
    // `/api/orders/{id}` names an order.
    const resource = /\/([^/{}]+)\/\{id\}/.exec(path)?.[1] ?? '';
    return idValue(kindStem(resource));
  }
  if (parameter.in === 'header' && /idempotency/i.test(parameter.name)) {
    return fc.uuid();
  }
  if (parameter.in === 'header' && /last-event-id/i.test(parameter.name)) {
    return fc.oneof(fc.constant('0'), fc.integer({ min: 0, max: 1_000_000 }).map(String));
  }
  if (parameter.in === 'header' && /if-none-match/i.test(parameter.name)) {
    // An entity tag, or a list of them, as a client would send (a header holds visible ASCII).
    const tag = fc.stringMatching(/^[A-Za-z0-9_-]{0,27}$/).map((value) => `"${value}"`);
    return fc.oneof(
      tag,
      tag.map((value) => `W/${value}`),
      fc.constant('*'),
    );
  }
  return validValue(resolver, parameter.name, parameter.schema);
}

/** Requests for one operation: `valid` ones drawn from its schemas, and broken ones. */
export function requestsFor(
  resolver: SchemaResolver,
  operation: Operation,
): { valid: fc.Arbitrary<FuzzRequest>; invalid: fc.Arbitrary<FuzzRequest> } {
  const byLocation = (location: Parameter['in']) =>
    operation.parameters.filter((parameter) => parameter.in === location);
  const record = (parameters: Parameter[]) =>
    fc.record(
      Object.fromEntries(
        parameters.map((parameter) => [
          parameter.name,
          parameterValue(resolver, parameter, operation.path),
        ]),
      ),
      { requiredKeys: parameters.filter((p) => p.required).map((p) => p.name) },
    ) as fc.Arbitrary<Record<string, unknown>>;
  const pathParameters = byLocation('path');
  const queryParameters = byLocation('query');
  const headerParameters = byLocation('header');
  const query = record(queryParameters).map((values) =>
    Object.entries(values).filter(([, value]) => value !== undefined),
  );

  const valid = fc
    .record({
      pathParams: record(pathParameters.map((p) => ({ ...p, required: true }))),
      query,
      headers: record(headerParameters),
      actor: fc.nat({ max: 99 }),
      body: operation.body
        ? validValue(resolver, 'body', operation.body).map((value): Body => ({
            kind: 'json',
            value,
          }))
        : fc.constant<Body>({ kind: 'none' }),
    })
    .map((parts): FuzzRequest => ({
      operation: operation.key,
      mutation: 'valid',
      auth: { kind: 'allowed' },
      ...parts,
    }));

  const mutations: fc.Arbitrary<FuzzRequest>[] = [];
  const mutate = <T>(
    arbitrary: fc.Arbitrary<T>,
    apply: (base: FuzzRequest, change: T) => FuzzRequest,
  ): void => {
    mutations.push(fc.tuple(valid, arbitrary).map(([base, change]) => apply(base, change)));
  };
  if (operation.body) {
    mutate(brokenBody(resolver, operation.body), (base, [mutation, body]) => ({
      ...base,
      mutation,
      body,
    }));
  }
  if (pathParameters.length > 0) {
    mutate(
      fc.tuple(
        fc.constantFrom(...pathParameters.map((parameter) => parameter.name)),
        fc.oneof(
          nastyString.map(encodePathSegment),
          fc.constantFrom('%zz', '%E0%A4%A', '%C0%AF', '..%2F..%2F', '%2e%2e', '%00', '%ff', '-'),
          fc.integer({ min: 101, max: 5_000 }).map((n) => 'a'.repeat(n)),
        ),
      ),
      (base, [name, value]) => ({
        ...base,
        mutation: 'path: a broken parameter',
        rawPath: { [name]: value },
      }),
    );
  }
  if (queryParameters.length > 0) {
    const names = fc.constantFrom(...queryParameters.map((parameter) => parameter.name));
    mutate(
      fc.tuple(names, fc.oneof(nastyString, nastyNumber.map(String))),
      (base, [name, value]) => ({
        ...base,
        mutation: 'query: a wrong value',
        query: [...base.query.filter(([key]) => key !== name), [name, value]],
      }),
    );
    mutate(
      fc.tuple(names, fc.array(nastyString, { minLength: 2, maxLength: 4 })),
      (base, [name, values]) => ({
        ...base,
        mutation: 'query: a repeated parameter',
        query: [...base.query, ...values.map((value): [string, unknown] => [name, value])],
      }),
    );
  }
  mutate(fc.tuple(extraPropertyName, nastyString), (base, [name, value]) => ({
    ...base,
    mutation: 'query: an unknown parameter',
    query: [...base.query, [name, value]],
  }));
  for (const parameter of headerParameters) {
    mutate(oddHeaderValue, (base, value) => ({
      ...base,
      mutation: `header: an odd ${parameter.name}`,
      headers: { ...base.headers, [parameter.name]: value },
    }));
    if (parameter.required) {
      mutate(fc.constant(parameter.name), (base, name) => ({
        ...base,
        mutation: `header: ${name} missing`,
        headers: without(base.headers, name),
      }));
    }
  }
  if (operation.secured) {
    mutate(garbageAuthorization, (base, header) => ({
      ...base,
      mutation: 'auth: a garbage Authorization header',
      auth: { kind: 'raw', header },
    }));
    mutate(fc.constantFrom<Auth>({ kind: 'none' }, { kind: 'other-role' }), (base, auth) => ({
      ...base,
      mutation: `auth: ${auth.kind === 'none' ? 'no token' : "another role's token"}`,
      auth,
    }));
  } else {
    mutate(garbageAuthorization, (base, header) => ({
      ...base,
      mutation: 'auth: a garbage Authorization header on a public route',
      auth: { kind: 'raw', header },
    }));
  }
  return { valid, invalid: fc.oneof(...mutations) };
}
