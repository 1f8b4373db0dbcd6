/**
 * The documentation against the code, with the real app's OpenAPI document (`/api/docs-json`):
 *
 * - every route docs/api.md describes as built is in the document, with its method; every path it
 *   names without a method is a path of the document, a prefix of one, or answers 200 (Swagger UI);
 * - no route of its planned part (between the `api-status` markers) is in the document unless a
 *   **Status.** note names it as built, and every route a Status note names is in the document;
 * - every path of the document is named in the built part of docs/api.md;
 * - the links of README.md, CONTRIBUTING.md, docs/*.md and bench/README.md point at files of this
 *   repository, the repository paths they name in code spans exist, and none refers to anything
 *   outside the repository (`../shared`, a parent directory).
 *
 * TAPROOM_DOCS_ROOT names another checkout (a copy) whose documentation to check: how one sees
 * this test fail without touching the real files.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request } from '../support/http.js';
import { type OpenApiDocument, documentedOperations, fetchOpenApi } from '../support/openapi.js';
import { type TestApp, startAppOnNewDatabase } from '../support/test-app.js';

const ROOT = resolve(process.env.TAPROOM_DOCS_ROOT ?? join(import.meta.dirname, '../..'));
const API_DOC = 'docs/api.md';

/** The lines of docs/api.md between which it describes what is planned, not built. */
const PLANNED_START = '<!-- api-status: planned -->';
const PLANNED_END = '<!-- api-status: end of planned -->';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
/** A code span that is a route: an optional method, an `/api` path, an optional query. */
const ROUTE_SPAN = new RegExp(`^(?:(${METHODS.join('|')}) )?(/api(?:/[^\\s?#]*)?)(?:[?#].*)?$`);
/** A route written in running text, outside any code span. */
const ROUTE_IN_TEXT = new RegExp(`\\b(${METHODS.join('|')})\\s+(/api(?:/[^\\s\`?#),;]*)?)`, 'g');

/** Where a reference to a route sits in docs/api.md. */
type Part = 'built' | 'planned' | 'status';

interface RouteReference {
  readonly method: string | undefined;
  /** As written, without its query. */
  readonly path: string;
  /** Path parameters (`:id`, `{id}`, `<token>`) as `{}`, no trailing slash. */
  readonly key: string;
  readonly part: Part;
  readonly line: number;
}

function read(file: string): string {
  return readFileSync(join(ROOT, file), 'utf8');
}

/** `text` with every match of `pattern` replaced by spaces (line breaks kept), so offsets stay. */
function blank(text: string, pattern: RegExp): string {
  return text.replace(pattern, (match) => match.replace(/[^\n]/g, ' '));
}

const FENCED_CODE = /^ {0,3}(```|~~~)[^\n]*\n[\s\S]*?^ {0,3}\1[^\n]*$/gm;
const HTML_COMMENT = /<!--[\s\S]*?-->/g;
const CODE_SPAN = /`([^`]+)`/g;

function lineAt(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

/** `:id`, `{id}` and `<token>` become `{}`; a trailing slash goes. */
function routeKey(path: string): string {
  const key = path
    .split('/')
    .map((segment) => (/^(:\w+|\{\w+\}|<[^>]+>)$/.test(segment) ? '{}' : segment))
    .join('/');
  return key.length > 1 ? key.replace(/\/+$/, '') : key;
}

/** The ranges of the blockquotes that hold a `**Status.**` note. */
function statusNotes(text: string): [number, number][] {
  const ranges: [number, number][] = [];
  const blockquote = /(?:^>[^\n]*(?:\n|$))+/gm;
  for (const match of text.matchAll(blockquote)) {
    if (match[0].includes('**Status.**')) ranges.push([match.index, match.index + match[0].length]);
  }
  return ranges;
}

/** The offsets of the planned part: from its start marker to its end marker. */
function plannedPart(text: string): [number, number] {
  const lines = text.split('\n');
  const find = (marker: string): number[] =>
    lines.flatMap((line, index) => (line.trim() === marker ? [index] : []));
  const starts = find(PLANNED_START);
  const ends = find(PLANNED_END);
  if (starts.length !== 1 || ends.length !== 1 || (starts[0] ?? 0) > (ends[0] ?? 0)) {
    throw new Error(
      `${API_DOC} must hold the line ${PLANNED_START} before the planned capabilities and ` +
        `${PLANNED_END} after them, once each (found ${starts.length} and ${ends.length}).`,
    );
  }
  const offsetOfLine = (line: number): number =>
    lines.slice(0, line).reduce((sum, text) => sum + text.length + 1, 0);
  return [offsetOfLine(starts[0] ?? 0), offsetOfLine((ends[0] ?? 0) + 1)];
}

/** Every route docs/api.md names, in code spans or in running text, and which part it is in. */
function apiRoutes(markdown: string): RouteReference[] {
  const [plannedFrom, plannedTo] = plannedPart(markdown);
  const notes = statusNotes(markdown);
  const partAt = (index: number): Part => {
    if (notes.some(([from, to]) => index >= from && index < to)) return 'status';
    return index >= plannedFrom && index < plannedTo ? 'planned' : 'built';
  };
  const text = blank(blank(markdown, FENCED_CODE), HTML_COMMENT);
  const routes: RouteReference[] = [];
  const add = (method: string | undefined, path: string, index: number): void => {
    routes.push({
      method,
      path,
      key: routeKey(path),
      part: partAt(index),
      line: lineAt(markdown, index),
    });
  };
  for (const span of text.matchAll(CODE_SPAN)) {
    const content = (span[1] ?? '').replace(/\s+/g, ' ').trim();
    const route = ROUTE_SPAN.exec(content);
    if (route?.[2] !== undefined) add(route[1], route[2], span.index);
  }
  for (const route of blank(text, CODE_SPAN).matchAll(ROUTE_IN_TEXT)) {
    add(route[1], route[2] ?? '', route.index);
  }
  return routes;
}

/** The document's operations as `METHOD key` (see {@link routeKey}), and its path keys. */
function openApiRoutes(document: OpenApiDocument): { operations: Set<string>; paths: Set<string> } {
  const operations = documentedOperations(document);
  return {
    operations: new Set(operations.map((op) => `${op.method} ${routeKey(op.path)}`)),
    paths: new Set(operations.map((op) => routeKey(op.path))),
  };
}

function describeRoute(route: RouteReference): string {
  const name = route.method === undefined ? route.path : `${route.method} ${route.path}`;
  return `${name} (${API_DOC}:${route.line})`;
}

/** The Markdown files whose links are checked. */
function markdownFiles(): string[] {
  const docs = readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
  return ['README.md', 'CONTRIBUTING.md', 'bench/README.md', ...docs];
}

/** The link targets of a Markdown file: inline links and images, definitions, HTML attributes. */
function linkTargets(markdown: string): { target: string; line: number }[] {
  const text = blank(blank(blank(markdown, FENCED_CODE), HTML_COMMENT), CODE_SPAN);
  const patterns = [
    /!?\[(?:[^\]\\\n]|\\.)*\]\(\s*(<[^>\n]*>|[^\s)]+)(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)/g,
    /^ {0,3}\[[^\]\n]+\]:[ \t]*(<[^>\n]*>|\S+)/gm,
    /\b(?:href|src)\s*=\s*["']([^"']+)["']/g,
    /<([a-z][a-z0-9+.-]*:[^\s>]*)>/gi,
  ];
  return patterns.flatMap((pattern) =>
    [...text.matchAll(pattern)].map((match) => ({
      target: (match[1] ?? '').replace(/^<|>$/g, ''),
      line: lineAt(markdown, match.index),
    })),
  );
}

/** Whether `path` is this repository or inside it. */
function insideRepository(path: string): boolean {
  const within = relative(ROOT, path);
  return within === '' || (!within.startsWith('..') && !isAbsolute(within));
}

/** What is wrong with one link target of `file`, if anything. */
function linkProblem(file: string, target: string): string | undefined {
  if (/^file:/i.test(target)) return 'points at a local file outside the repository';
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) return undefined;
  let path = target.replace(/[?#].*$/, '');
  try {
    path = decodeURIComponent(path);
  } catch {
    return 'is not a valid URL';
  }
  const resolved = path.startsWith('/') ? join(ROOT, path) : resolve(ROOT, dirname(file), path);
  if (!insideRepository(resolved)) return 'points outside the repository';
  if (!existsSync(resolved)) return 'points at a file that does not exist';
  return undefined;
}

/** Code spans that name a file or folder of the repository (`src/events/event-log.ts`). */
const REPOSITORY_PATH =
  /^(?:src|test|deploy|scripts|docs|bench|apps|packages|\.ci|\.husky)\/[\w./-]*$/;

describe('docs/api.md and the OpenAPI document', () => {
  let app: TestApp;
  let document: OpenApiDocument;
  let routes: RouteReference[];

  beforeAll(async () => {
    app = await startAppOnNewDatabase();
    document = await fetchOpenApi(app.url);
    routes = apiRoutes(read(API_DOC));
  });
  afterAll(() => app.close());

  it('finds the routes of both parts (the markers and the extraction work)', () => {
    expect(routes.filter((route) => route.part === 'built').length).toBeGreaterThan(20);
    expect(routes.filter((route) => route.part === 'planned').length).toBeGreaterThan(0);
    const [from, to] = plannedPart(read(API_DOC));
    // The note that says what is built stays with the part it speaks of.
    expect(read(API_DOC).slice(from, to)).toContain('**Status.**');
  });

  it('has every built route, with its method', () => {
    const { operations } = openApiRoutes(document);
    const missing = routes
      .filter((route) => route.part === 'built' && route.method !== undefined)
      .filter((route) => !operations.has(`${route.method ?? ''} ${route.key}`))
      .map((route) => `${describeRoute(route)}: not in the OpenAPI document`);
    expect(missing).toEqual([]);
  });

  it('serves every path the built part names without a method', async () => {
    const { paths } = openApiRoutes(document);
    const unresolved: string[] = [];
    for (const route of routes.filter((r) => r.part === 'built' && r.method === undefined)) {
      if (paths.has(route.key)) continue;
      // A prefix, such as `/api/admin/` (admin routes) or `/api/auth` (the cookies' Path).
      if ([...paths].some((path) => path.startsWith(`${route.key}/`))) continue;
      // Served outside the document, such as Swagger UI and the document itself.
      if ((await request(`${app.url}${route.path}`)).status === 200) continue;
      unresolved.push(`${describeRoute(route)}: no such path, prefix or page`);
    }
    expect(unresolved).toEqual([]);
  });

  it('has no route of the planned part yet, unless a Status note says it is built', () => {
    const { operations, paths } = openApiRoutes(document);
    const exists = (route: RouteReference): boolean =>
      route.method === undefined
        ? paths.has(route.key)
        : operations.has(`${route.method} ${route.key}`);
    const sameRoute = (a: RouteReference) => (b: RouteReference) =>
      a.key === b.key &&
      (a.method === undefined || b.method === undefined || a.method === b.method);
    const declared = routes.filter((route) => route.part !== 'planned');
    // A planned route that is built must be named by the Status note (or described above it, as
    // `POST /api/auth/login` is: the planned part only adds a field to it).
    const builtButPlanned = routes
      .filter((route) => route.part === 'planned' && exists(route))
      .filter((route) => !declared.some(sameRoute(route)))
      .map(
        (route) =>
          `${describeRoute(route)}: built, but described as planned; update the Status note`,
      );
    // And what a Status note names as built must be there.
    const namedButMissing = routes
      .filter((route) => route.part === 'status' && !exists(route))
      .map((route) => `${describeRoute(route)}: a Status note names it, but it is not built`);
    expect([...builtButPlanned, ...namedButMissing]).toEqual([]);
  });

  it('names every path of the OpenAPI document in its built part', () => {
    const named = new Set(routes.filter((route) => route.part !== 'planned').map((r) => r.key));
    const unnamed = documentedOperations(document)
      .map((op) => op.path)
      .filter((path) => !named.has(routeKey(path)));
    expect([...new Set(unnamed)].map((path) => `${path}: not described in ${API_DOC}`)).toEqual([]);
  });
});

describe('links in the documentation', () => {
  const files = markdownFiles();

  it('checks files that exist', () => {
    expect(files.filter((file) => !existsSync(join(ROOT, file)))).toEqual([]);
  });

  it('point at files of this repository', () => {
    const broken = files.flatMap((file) =>
      linkTargets(read(file)).flatMap(({ target, line }) => {
        const problem = linkProblem(file, target);
        return problem === undefined ? [] : [`${file}:${line} ${target} ${problem}`];
      }),
    );
    expect(broken).toEqual([]);
  });

  it('name repository paths that exist', () => {
    const missing = files.flatMap((file) => {
      const markdown = blank(blank(read(file), FENCED_CODE), HTML_COMMENT);
      return [...markdown.matchAll(CODE_SPAN)].flatMap((span) => {
        const path = span[1] ?? '';
        if (!REPOSITORY_PATH.test(path) || existsSync(join(ROOT, path))) return [];
        return [`${file}:${lineAt(markdown, span.index)} ${path} does not exist`];
      });
    });
    expect(missing).toEqual([]);
  });

  it('refer to nothing outside the repository', () => {
    const parent = dirname(ROOT);
    const outside = files.flatMap((file) => {
      const markdown = read(file);
      const found: string[] = [];
      if (markdown.includes('../shared')) found.push(`${file} refers to ../shared`);
      // Any `../` path, in a link or not, must stay inside the repository.
      for (const match of markdown.matchAll(/(?<![\w.])(?:\.\.\/)+[^\s)`'"<>\]]*/g)) {
        if (!insideRepository(resolve(ROOT, dirname(file), match[0]))) {
          found.push(`${file}:${lineAt(markdown, match.index)} ${match[0]}`);
        }
      }
      if (parent !== dirname(parent) && markdown.includes(`${parent}/`)) {
        found.push(`${file} names ${parent}/, a directory outside the repository`);
      }
      return found;
    });
    expect(outside).toEqual([]);
  });
});
