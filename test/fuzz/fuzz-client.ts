/**
 * Sends generated requests to a running server over real HTTP, with a valid token of a role the
 * route allows (signing in again whenever the fuzzer itself ended that session), and checks every
 * answer against the contract.
 */
import { Agent, request as httpRequest } from 'node:http';
import { statusOf, type ErrorCode } from '../../src/common/errors/error-code.js';
import type { AppName } from '../../src/auth/auth-context.js';
import {
  type Auth,
  type FuzzRequest,
  type Operation,
  deepJson,
  encodePathSegment,
  isDeepValue,
  isKnownId,
  kindStem,
} from './openapi-arbitraries.js';

/** A request that takes longer than this is a hang. */
const REQUEST_TIMEOUT_MS = 5_000;

export interface Account {
  email: string;
  password: string;
  app: AppName;
}

interface Principal extends Account {
  token?: string;
  userId?: string;
  sessionId?: string;
}

export interface Outcome {
  status: number;
  headers: Headers;
  text: string;
  url: string;
  method: string;
  sentBody: string | undefined;
}

/**
 * One request over node:http, which sends what fetch refuses (odd whitespace or Latin-1 in header
 * values). An event stream is closed as soon as its headers arrive.
 */
function httpExchange(
  url: string,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
  agent: Agent,
): Promise<{ status: number; headers: Headers; text: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method, headers, agent }, (response) => {
      const answerHeaders = new Headers();
      for (const [name, value] of Object.entries(response.headers)) {
        if (value !== undefined) answerHeaders.set(name, String(value));
      }
      const status = response.statusCode ?? 0;
      if (answerHeaders.get('content-type')?.startsWith('text/event-stream')) {
        response.destroy();
        resolve({ status, headers: answerHeaders, text: '' });
        return;
      }
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        resolve({ status, headers: answerHeaders, text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    request.setTimeout(REQUEST_TIMEOUT_MS, () => {
      request.destroy(new Error(`no answer within ${String(REQUEST_TIMEOUT_MS)} ms`));
    });
    request.on('error', reject);
    request.end(body);
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids the server handed out, by kind, so that valid requests can name things that exist. */
export class IdPool {
  private readonly ids: { id: string; kind: string }[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly excluded: () => ReadonlySet<string>) {}

  get size(): number {
    return this.ids.length;
  }

  /**
   * Collects every UUID in a JSON answer. An `id` is of the kind its parent key names (`user`,
   * `session`, `customer`), or of the resource the answer came from (`/api/admin/users` → user);
   * an `xxxId` is of kind `xxx`.
   */
  harvest(value: unknown, resource: string): void {
    const pending: { value: unknown; key: string; parent: string }[] = [
      { value, key: '', parent: '' },
    ];
    for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
      const { value: item, key, parent } = next;
      if (typeof item === 'string' && UUID.test(item) && !this.seen.has(item)) {
        const named = key === 'id' ? parent : key;
        const kind = /^[a-z]/i.test(named) && named !== 'items' ? kindStem(named) : resource;
        this.seen.add(item);
        this.ids.push({ id: item, kind });
      } else if (typeof item === 'object' && item !== null) {
        // What names this value: its key, or for an element of a list, the list's key
        // (`optionGroups: [{id}]` → optiongroup, `options: [{id}]` → option).
        const context = key === '' ? parent : key;
        for (const [childKey, child] of Object.entries(item)) {
          pending.push({
            value: child,
            key: Array.isArray(item) ? '' : childKey,
            parent: context,
          });
        }
      }
    }
  }

  /** The n-th id of a kind (cycling; any kind when none yet), never the fuzzer's own accounts. */
  pick(n: number, kind: string): string | undefined {
    const excluded = this.excluded();
    const usable = this.ids.filter(({ id }) => !excluded.has(id));
    const matches = (other: string) =>
      other !== '' && kind !== '' && (other.startsWith(kind) || kind.startsWith(other));
    const ofKind = usable.filter((entry) => matches(entry.kind));
    const from = ofKind.length > 0 ? ofKind : usable;
    return from.length === 0 ? undefined : from[n % from.length]!.id;
  }
}

/** What the fuzzer reads of `GET /api/menu`: whether each item can be ordered, and how. */
interface MenuAnswer {
  id: string;
  available: boolean;
  stock: number | null;
  optionGroups: {
    min: number;
    options: { id: string; available: boolean }[];
  }[];
}

export class FuzzClient {
  readonly pool: IdPool;
  /** The menu's items, as `GET /api/menu` last answered. */
  private menu = new Map<string, MenuAnswer>();
  private readonly principals: Principal[];
  /** Which accounts may call each operation (found by asking the server, see allowedFor). */
  private readonly allowed = new Map<string, Principal[]>();
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 4 });

  constructor(
    private readonly baseUrl: string,
    accounts: Account[],
  ) {
    this.principals = accounts.map((account) => ({ ...account }));
    this.pool = new IdPool(() => {
      const own = new Set<string>();
      for (const principal of this.principals) {
        if (principal.userId) own.add(principal.userId);
        if (principal.sessionId) own.add(principal.sessionId);
      }
      return own;
    });
  }

  private async signIn(principal: Principal): Promise<string> {
    const response = await fetch(`${this.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: principal.email,
        password: principal.password,
        app: principal.app,
        refreshTransport: 'body',
      }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const body = (await response.json()) as {
      accessToken: string;
      user: { id: string };
      session: { id: string };
    };
    if (response.status !== 200) {
      throw new Error(`fuzz account ${principal.email} cannot sign in: ${response.status}`);
    }
    principal.token = body.accessToken;
    principal.userId = body.user.id;
    principal.sessionId = body.session.id;
    return body.accessToken;
  }

  private async tokenOf(principal: Principal): Promise<string> {
    return principal.token ?? this.signIn(principal);
  }

  /**
   * The accounts allowed on an operation: guards run before validation, so an empty request
   * answered 403 FORBIDDEN means the role may not call it at all.
   */
  async learnRoles(operations: readonly Operation[]): Promise<void> {
    for (const operation of operations) {
      if (!operation.secured || operation.streams) {
        this.allowed.set(operation.key, [...this.principals]);
        continue;
      }
      const allowed: Principal[] = [];
      for (const principal of this.principals) {
        const path = operation.path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
        const outcome = await this.exchange(operation.method, path, principal, {
          headers: operation.body ? { 'content-type': 'application/json' } : {},
          body: operation.body ? '{}' : undefined,
        });
        const code =
          outcome.status === 403 ? (JSON.parse(outcome.text) as { code: string }).code : '';
        if (code !== 'FORBIDDEN') allowed.push(principal);
      }
      this.allowed.set(operation.key, allowed);
    }
  }

  rolesFor(operation: Operation): string[] {
    return (this.allowed.get(operation.key) ?? []).map((principal) => principal.app);
  }

  private principalFor(operation: Operation, auth: Auth, n: number): Principal | undefined {
    const allowed = this.allowed.get(operation.key) ?? [];
    if (auth.kind === 'allowed') return allowed[n % Math.max(allowed.length, 1)];
    if (auth.kind === 'other-role') {
      const others = this.principals.filter((principal) => !allowed.includes(principal));
      return others.length > 0 ? others[n % others.length] : undefined;
    }
    return undefined;
  }

  /**
   * Replaces every {@link KnownId} with an id the server made (a fresh UUID when none yet), and
   * every deep value with a placeholder string that {@link toJson} swaps for its JSON text.
   */
  private resolve(value: unknown, deep: string[] = []): unknown {
    if (isKnownId(value)) return this.pool.pick(value.$knownId, value.kind) ?? crypto.randomUUID();
    if (isDeepValue(value)) {
      deep.push(deepJson(value));
      return `\u0001deep${String(deep.length - 1)}`;
    }
    if (Array.isArray(value)) return value.map((item) => this.resolve(item, deep));
    if (typeof value === 'object' && value !== null) {
      const copy: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        Object.defineProperty(copy, key, {
          value: this.resolve(item, deep),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return copy;
    }
    return value;
  }

  private toJson(value: unknown): string {
    const deep: string[] = [];
    const resolved = this.resolve(value, deep);
    this.fitOptions(resolved);
    const text = JSON.stringify(resolved);
    return text.replace(/"\\u0001deep(\d+)"/g, (_match, index: string) => deep[Number(index)]!);
  }

  /** Sends one generated request as the right account. */
  async send(operation: Operation, request: FuzzRequest): Promise<Outcome> {
    let path = operation.path;
    for (const match of operation.path.matchAll(/\{([^}]+)\}/g)) {
      const name = match[1]!;
      const raw = request.rawPath?.[name];
      const value = raw ?? encodePathSegment(String(this.resolve(request.pathParams[name])));
      path = path.replace(match[0], value);
    }
    const query = new URLSearchParams();
    for (const [name, value] of request.query) {
      const resolved = this.resolve(value);
      query.append(name, typeof resolved === 'string' ? resolved : JSON.stringify(resolved));
    }
    const search = query.size > 0 ? `?${query.toString()}` : '';
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers[name] = String(this.resolve(value));
    }
    let body: string | undefined;
    if (request.body.kind === 'json') {
      headers['content-type'] = 'application/json';
      body = this.toJson(request.body.value);
    } else if (request.body.kind === 'text') {
      if (request.body.contentType !== undefined)
        headers['content-type'] = request.body.contentType;
      body = request.body.text;
    }
    if (operation.method === 'GET') body = undefined;
    const principal = this.principalFor(operation, request.auth, request.actor);
    if (request.auth.kind === 'raw') headers.authorization = request.auth.header;
    return this.exchange(operation.method, path + search, principal, { headers, body });
  }

  private async exchange(
    method: string,
    pathAndQuery: string,
    principal: Principal | undefined,
    init: { headers: Record<string, string>; body: string | undefined },
  ): Promise<Outcome> {
    const headers = { ...init.headers };
    if (principal) headers.authorization = `Bearer ${await this.tokenOf(principal)}`;
    const url = `${this.baseUrl}${pathAndQuery}`;
    try {
      const answer = await httpExchange(url, method, headers, init.body, this.agent);
      const outcome = { ...answer, url, method, sentBody: init.body };
      this.afterAnswer(principal, outcome, pathAndQuery);
      return outcome;
    } catch (error) {
      throw new Error(`${method} ${url.slice(0, 300)} failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  close(): void {
    this.agent.destroy();
  }

  /**
   * An order line of a valid request names a known item and draws its `options` at random, so
   * it could never be placed once items have required choices, or once the fuzzer itself has
   * archived or 86'd the item. Where the line's `options` are what the schema allows (absent, or
   * a list of UUIDs), the line is fitted to the menu as `GET /api/menu` last answered it: an item
   * that is no longer orderable is swapped for one that is (chosen by the drawn id, so runs
   * repeat), and the options become the first `min` available ones of each group. Broken values
   * (the invalid requests) are left as they are. The same for a tab payment's owner, below.
   */
  private fitOptions(value: unknown): void {
    if (Array.isArray(value)) {
      for (const item of value) this.fitOptions(item);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const line = value as Record<string, unknown>;
    const drawn = line.options;
    const schemaValid =
      drawn === undefined ||
      (Array.isArray(drawn) && drawn.every((id) => typeof id === 'string' && UUID.test(id)));
    const orderable = [...this.menu.values()].filter((item) => item.available && item.stock !== 0);
    if (typeof line.menuItemId === 'string' && schemaValid && orderable.length > 0) {
      const named = this.menu.get(line.menuItemId);
      const item =
        named?.available && named.stock !== 0
          ? named
          : orderable[parseInt(line.menuItemId.slice(0, 8), 16) % orderable.length]!;
      line.menuItemId = item.id;
      line.options = item.optionGroups.flatMap((group) =>
        group.options
          .filter((option) => option.available)
          .slice(0, group.min)
          .map((option) => option.id),
      );
    }
    // Random option groups almost never meet min ≤ max ≤ options, the ids an item already has
    // and the price floor together: a valid menu item body drawn with groups gets none.
    if (Array.isArray(line.optionGroups) && typeof line.name !== 'object') line.optionGroups = [];
    // A tab payment names exactly one of a table and a customer, which the schema cannot say:
    // a valid one drawn with both pays the customer's tab.
    if (
      typeof line.customerId === 'string' &&
      UUID.test(line.customerId) &&
      typeof line.tableNumber === 'number' &&
      typeof line.amountCents === 'number'
    ) {
      delete line.tableNumber;
    }
    for (const child of Object.values(line)) this.fitOptions(child);
  }

  private afterAnswer(principal: Principal | undefined, outcome: Outcome, path: string): void {
    const ok = outcome.status >= 200 && outcome.status < 300;
    if (ok && outcome.method === 'GET' && /^\/api\/menu(\?|$)/.test(path)) {
      const items = JSON.parse(outcome.text) as MenuAnswer[];
      this.menu = new Map(items.map((item) => [item.id, item]));
    }
    // The fuzzer may end its own sessions (logout, logout-all): sign in again next time.
    if (principal && outcome.status === 401) principal.token = undefined;
    if (principal && ok && outcome.method !== 'GET' && path.startsWith('/api/auth/')) {
      principal.token = undefined;
    }
    if (ok && outcome.text !== '') {
      if (outcome.headers.get('content-type')?.includes('application/json')) {
        const resource = /^\/api\/(?:admin\/)?([^/?]+)/.exec(path)?.[1] ?? '';
        this.pool.harvest(JSON.parse(outcome.text), kindStem(resource));
      }
    }
  }
}

const LEAKS =
  /\n\s+at |\bat \S+ \(|QueryFailedError|EntityNotFound|TypeORM|node_modules|\.[jt]s:\d+|SQLSTATE|syntax error at or near|violates \S+ constraint|duplicate key value|relation "|column "|PGlite|\bSELECT\b[\s\S]*\bFROM\b|\bINSERT INTO\b|password_?hash|refresh_?hash/i;

/** What is wrong with an answer, by the contract; empty when nothing is. */
export function contractViolations(
  operation: Operation,
  outcome: Outcome,
  errorCodes: ReadonlySet<string>,
): string[] {
  const problems: string[] = [];
  const { status, headers, text } = outcome;
  const contentType = headers.get('content-type') ?? '';
  if (status >= 500) problems.push(`answered ${status}`);
  if (status >= 200 && status < 300) {
    if (operation.streams && status === 200) {
      if (!contentType.startsWith('text/event-stream')) problems.push(`stream as ${contentType}`);
    } else if (status === 204 || (status === 202 && text === '')) {
      // Nothing to say: 204, or a 202 that only acknowledges (a password reset request).
      if (text !== '') problems.push('204 with a body');
    } else if (operation.csv) {
      // An export: a CSV file with its header row (after the byte order mark), never JSON.
      if (!/^text\/csv(;|$)/.test(contentType)) problems.push(`CSV as ${contentType}`);
      if (!/^\uFEFF[a-zA-Z][a-zA-Z0-9]*(,[a-zA-Z][a-zA-Z0-9]*)*\r\n/.test(text))
        problems.push('CSV without its header row');
    } else if (operation.html) {
      // A page (a receipt): a whole HTML document under a policy that runs no script.
      if (!/^text\/html(;|$)/.test(contentType)) problems.push(`HTML as ${contentType}`);
      if (!text.startsWith('<!doctype html>')) problems.push('HTML without its doctype');
      if (!(headers.get('content-security-policy') ?? '').includes("default-src 'none'"))
        problems.push('HTML without its own policy');
    } else if (!/^application\/json(;|$)/.test(contentType)) {
      problems.push(`2xx with content-type ${contentType || '(none)'}`);
    } else {
      try {
        JSON.parse(text);
      } catch {
        problems.push('2xx body is not JSON');
      }
    }
    return problems;
  }
  if (status === 304) {
    // An unchanged resource named by `If-None-Match`: documented, and never with a body.
    if (!operation.documentedStatuses.includes(304)) problems.push('304 not documented');
    if (text !== '') problems.push('304 with a body');
    return problems;
  }
  if (!/^application\/json(;|$)/.test(contentType)) {
    problems.push(`error with content-type ${contentType || '(none)'}`);
  }
  let body: Record<string, unknown> | undefined;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    problems.push('error body is not JSON');
  }
  if (body) {
    const extra = Object.keys(body).filter(
      (key) => !['statusCode', 'code', 'message', 'details'].includes(key),
    );
    if (extra.length > 0) problems.push(`error body has ${extra.join(', ')}`);
    if (body.statusCode !== status)
      problems.push(`statusCode ${String(body.statusCode)} ≠ ${status}`);
    if (typeof body.code !== 'string' || !errorCodes.has(body.code)) {
      problems.push(`unknown code ${String(body.code)}`);
    } else if (statusOf(body.code as unknown as ErrorCode) !== status) {
      problems.push(`code ${body.code} with status ${status}`);
    }
    if (typeof body.message !== 'string' || body.message === '') problems.push('no message');
    if (body.code === 'VALIDATION_FAILED' && body.details !== undefined) {
      const fieldList =
        Array.isArray(body.details) &&
        body.details.every(
          (detail: { field?: unknown; errors?: unknown }) =>
            typeof detail.field === 'string' &&
            Array.isArray(detail.errors) &&
            detail.errors.every((error) => typeof error === 'string'),
        );
      if (!fieldList) problems.push('VALIDATION_FAILED details are not a list of fields');
    }
  }
  if (status === 429 && !/^\d+$/.test(headers.get('retry-after') ?? '')) {
    problems.push('429 without Retry-After');
  }
  if (LEAKS.test(text)) problems.push('leaks internals');
  return problems;
}
