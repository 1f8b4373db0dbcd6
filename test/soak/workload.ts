/**
 * The actors of the soak run: customers (sign in, browse, order with Idempotency-Key, stream,
 * cancel, refresh, sign out), bartenders (advance, recall and cancel orders from their live
 * stream, take items off and back), an admin (browse users, sessions, audit and reports, restock,
 * revoke customer sessions, sign in on another device) and a door (registrations, failed
 * sign-ins). Every request goes to one of the two instances at random. Actors never throw: what
 * goes wrong is recorded on the {@link Recorder} and asserted at the end.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type OpenStream, type SseEvent, openEvents } from '../support/event-stream.js';
import type { JsonResponse } from '../support/http.js';
import { type Expectation, type Recorder, allow, either } from './recorder.js';

export const STRONG_PASSWORD = 'correct-horse-battery-staple-42';

export interface MenuEntry {
  id: string;
  available: boolean;
  stock: number | null;
  optionGroups: { min: number; options: { id: string; available: boolean }[] }[];
}

/** A choice the item's groups allow (the first `min` available options of each), or undefined. */
function someChoice(item: MenuEntry): string[] | undefined {
  const choice: string[] = [];
  for (const group of item.optionGroups) {
    const open = group.options.filter((option) => option.available).slice(0, group.min);
    if (open.length < group.min) return undefined;
    choice.push(...open.map((option) => option.id));
  }
  return choice;
}

export interface PlacedOrder {
  id: string;
  customerId: string;
  lines: { menuItemId: string; quantity: number }[];
}

interface Session {
  id: string;
  accessToken: string;
  refreshToken: string;
}

/** What the actors share. */
export class World {
  readonly orders = new Map<string, PlacedOrder>();
  /** Admin restocks per menu item (sum of `stockDelta` answered 200). */
  readonly restocks = new Map<string, number>();
  /** Sessions the admin revoked (so their owners' 401 SESSION_REVOKED is expected). */
  readonly adminRevoked = new Set<string>();
  readonly customers: Customer[] = [];
  menu: MenuEntry[] = [];
  revocationChecks = 0;
  idempotentReplays = 0;
  concurrentTwins = 0;
  stopped = false;

  constructor(
    readonly urls: readonly string[],
    readonly rec: Recorder,
  ) {}

  /** Requests (and streams) sent to each instance. */
  readonly perInstance: number[] = [];

  url(path: string): string {
    const index = randomInt(this.urls.length);
    this.perInstance[index] = (this.perInstance[index] ?? 0) + 1;
    return `${this.urls[index]!}${path}`;
  }

  /** Sleeps, waking early when the run stops; answers whether the run goes on. */
  async think(minMs: number, maxMs: number): Promise<boolean> {
    const until = Date.now() + minMs + randomInt(Math.max(1, maxMs - minMs));
    while (!this.stopped && Date.now() < until) await sleep(Math.min(200, until - Date.now()));
    return !this.stopped;
  }
}

const OK = allow({ 200: null });
const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

function pick<T>(items: readonly T[]): T | undefined {
  return items.length === 0 ? undefined : items[randomInt(items.length)];
}

/** Latest version of each order seen in a list of stream events (and answers merged in). */
function latestOrders(
  events: readonly SseEvent[],
  into = new Map<string, any>(),
): Map<string, any> {
  for (const event of events) {
    if (event.event !== 'order.created' && event.event !== 'order.updated') continue;
    const known = into.get(event.data.id);
    if (!known || known.version < event.data.version) into.set(event.data.id, event.data);
  }
  return into;
}

/**
 * Signs a session in and proves its end: after a revocation, its access token is refused on
 * both instances within a second, and its refresh token is refused.
 */
async function signIn(
  world: World,
  who: { email: string; password: string },
  app: string,
  userAgent: string,
): Promise<{ session: Session; userId: string } | undefined> {
  const response = await world.rec.call(
    `POST /auth/login (${app})`,
    world.url('/api/auth/login'),
    {
      method: 'POST',
      headers: { 'user-agent': userAgent },
      json: { email: who.email, password: who.password, app, refreshTransport: 'body' },
    },
    OK,
  );
  if (response?.status !== 200) return undefined;
  return {
    session: {
      id: response.body.session.id,
      accessToken: response.body.accessToken,
      refreshToken: response.body.refreshToken,
    },
    userId: response.body.user.id,
  };
}

async function expectRefused(
  world: World,
  session: Session,
  app: string,
  why: string,
): Promise<void> {
  for (const base of world.urls) {
    // Another instance hears of a revocation within a second; until then 200 is allowed.
    const deadline = Date.now() + 1_500;
    for (;;) {
      const response = await world.rec.call(
        'GET /auth/me (revoked session)',
        `${base}/api/auth/me`,
        { headers: bearer(session.accessToken) },
        allow({ 200: null, 401: ['SESSION_REVOKED'] }),
      );
      if (response?.status === 401) break;
      if (Date.now() > deadline) {
        world.rec.problem(`${why}: session ${session.id} still accepted on ${base} after 1.5 s`);
        break;
      }
      await sleep(100);
    }
  }
  const refresh = await world.rec.call(
    'POST /auth/refresh (revoked session)',
    world.url('/api/auth/refresh'),
    { method: 'POST', json: { app, refreshToken: session.refreshToken } },
    allow({ 401: ['SESSION_REVOKED'] }),
  );
  if (refresh?.status !== 401) world.rec.problem(`${why}: refresh of ${session.id} not refused`);
  world.revocationChecks++;
}

async function awaitEnd(stream: OpenStream, ms: number): Promise<boolean> {
  if (stream.isEnded) return true;
  const timer = sleep(ms, false, { ref: false });
  return Promise.race([stream.ended.then(() => true), timer]);
}

export class Customer {
  readonly streams: OpenStream[] = [];
  /** The Last-Event-ID each stream was opened with (diagnostics). */
  readonly resumedAfter: (string | undefined)[] = [];
  session: Session | undefined;
  id = '';
  active = true;
  /** Set when a request met the admin's revocation of the current session. */
  private revokedByAdmin = false;

  constructor(
    private readonly world: World,
    readonly email: string,
    readonly password: string,
  ) {}

  /** Stopped acting (its stream stays open); a method, so a check after an await is fresh. */
  retired(): boolean {
    return !this.active;
  }

  get stream(): OpenStream | undefined {
    return this.streams.at(-1);
  }

  get allEvents(): SseEvent[] {
    return this.streams.flatMap((stream) => stream.events);
  }

  /** A request with the customer's token; 401 SESSION_REVOKED is expected after an admin revoke. */
  private async call(
    kind: string,
    path: string,
    init: RequestInit & { json?: unknown },
    expected: Expectation,
  ): Promise<JsonResponse | undefined> {
    const session = this.session!;
    const response = await this.world.rec.call(
      kind,
      this.world.url(path),
      { ...init, headers: { ...bearer(session.accessToken), ...(init.headers as object) } },
      either(
        expected,
        (status, code) =>
          status === 401 && code === 'SESSION_REVOKED' && this.world.adminRevoked.has(session.id),
      ),
    );
    if (response?.status === 401 && this.world.adminRevoked.has(session.id)) {
      this.revokedByAdmin = true;
    }
    return response;
  }

  async signIn(): Promise<boolean> {
    const signed = await signIn(
      this.world,
      { email: this.email, password: this.password },
      'customer',
      `soak-customer/${randomInt(1e6)}`,
    );
    if (!signed) return false;
    this.session = signed.session;
    this.id = signed.userId;
    return this.openStream();
  }

  /** Opens a stream on a random instance, resuming after the last event of the previous one. */
  private async openStream(): Promise<boolean> {
    const lastEventId = this.allEvents.at(-1)?.id;
    const opened = await openEvents(this.world.url(''), this.session!.accessToken, {
      ...(lastEventId === undefined ? {} : { lastEventId }),
    });
    this.world.rec.count('GET /events (customer)', String(opened.status));
    if (!opened.stream) {
      this.world.rec.problem(
        `customer stream refused: ${opened.status} ${JSON.stringify(opened.body)}`,
      );
      return false;
    }
    this.streams.push(opened.stream);
    this.resumedAfter.push(lastEventId);
    return true;
  }

  async run(): Promise<void> {
    while (!this.world.stopped && this.active) {
      if (!(await this.world.think(1_000, 3_000)) || this.retired()) break;
      if (!this.session) {
        if (!(await this.signIn())) await this.world.think(2_000, 3_000);
        continue;
      }
      if (this.revokedByAdmin) {
        await this.afterRevocation(['admin', 'logout'], 'admin revoke');
        continue;
      }
      if (this.stream?.isEnded) {
        if (this.world.adminRevoked.has(this.session.id)) {
          this.revokedByAdmin = true;
          continue;
        }
        this.world.rec.problem(`customer ${this.email}: stream ended unexpectedly`);
        await this.openStream();
      }
      const roll = randomInt(100);
      if (roll < 20) await this.browse();
      else if (roll < 36) await this.order();
      else if (roll < 48) await this.call('GET /orders (customer)', '/api/orders?limit=20', {}, OK);
      else if (roll < 58) await this.viewOwnOrder();
      else if (roll < 61) await this.viewOthersOrder();
      else if (roll < 68) await this.cancelPending();
      else if (roll < 78) await this.refresh();
      else if (roll < 84) await this.call('GET /auth/me', '/api/auth/me', {}, OK);
      else if (roll < 88) await this.call('GET /sessions', '/api/sessions', {}, OK);
      else if (roll < 91) await this.signOutAndIn();
    }
  }

  async browse(): Promise<void> {
    const response = await this.call('GET /menu', '/api/menu', {}, OK);
    if (response?.status === 200) this.world.menu = response.body as MenuEntry[];
  }

  private orderableItems(): MenuEntry[] {
    return this.world.menu.filter(
      (item) => item.available && (item.stock ?? 1) > 0 && someChoice(item) !== undefined,
    );
  }

  /** One order; sometimes retried with the same key, sent twice at once, or reused wrongly. */
  async order(): Promise<void> {
    if (this.world.menu.length === 0) await this.browse();
    const items = this.orderableItems();
    if (items.length === 0) return;
    const lineCount = 1 + randomInt(Math.min(2, items.length));
    const chosen = new Set<MenuEntry>();
    while (chosen.size < lineCount) chosen.add(pick(items)!);
    const lines = [...chosen].map((item) => ({
      menuItemId: item.id,
      quantity: 1 + randomInt(3),
      options: someChoice(item) ?? [],
    }));
    const body = { items: lines, tableNumber: 1 + randomInt(40) };
    const key = randomUUID();
    const expected = allow({ 201: null, 409: ['ITEM_UNAVAILABLE', 'OUT_OF_STOCK'] });
    const post = (kind: string, json: unknown, expectation = expected) =>
      this.call(
        kind,
        '/api/orders',
        { method: 'POST', headers: { 'idempotency-key': key }, json },
        expectation,
      );

    const mode = randomInt(100);
    let created: JsonResponse | undefined;
    if (mode < 10) {
      // Two tabs submit at once: one creation, the other waits for it and replays it.
      this.world.concurrentTwins++;
      const twins = await Promise.all([
        post('POST /orders (twin)', body),
        post('POST /orders (twin)', body),
      ]);
      const ok = twins.filter((response) => response?.status === 201);
      const ids = new Set(ok.map((response) => response!.body.id as string));
      if (ids.size > 1)
        this.world.rec.problem(`twin requests with one key created ${ids.size} orders`);
      created = ok[0];
    } else {
      for (let attempt = 0; attempt < 3 && created === undefined; attempt++) {
        // A dropped connection leaves the outcome unknown: retry with the same key.
        created = await post('POST /orders', body);
      }
    }
    if (created?.status !== 201) return;
    this.remember(created.body, lines);

    if (mode >= 10 && mode < 25) {
      const replay = await post('POST /orders (retry, same key)', body);
      if (replay?.status === 201) {
        this.world.idempotentReplays++;
        if (replay.body.id !== created.body.id) {
          this.world.rec.problem(`retry with key ${key} returned another order`);
        }
        if (replay.headers.get('idempotent-replayed') !== 'true') {
          this.world.rec.problem(`retry with key ${key} not marked Idempotent-Replayed`);
        }
      }
    } else if (mode >= 25 && mode < 30) {
      const other = { ...body, tableNumber: body.tableNumber + 1 };
      await post(
        'POST /orders (same key, other body)',
        other,
        allow({ 422: ['IDEMPOTENCY_MISMATCH'] }),
      );
    }
  }

  private remember(order: any, lines: PlacedOrder['lines']): void {
    if (order.customer?.id !== this.id) {
      this.world.rec.problem(`order ${order.id} answered with customer ${order.customer?.id}`);
    }
    const answered = (order.items as { menuItemId: string; quantity: number }[]).map(
      (line) => `${line.menuItemId}x${line.quantity}`,
    );
    const sent = lines.map((line) => `${line.menuItemId}x${line.quantity}`);
    if (answered.join() !== sent.join()) {
      this.world.rec.problem(`order ${order.id} lines ${answered.join()} != sent ${sent.join()}`);
    }
    if (!this.world.orders.has(order.id)) {
      this.world.orders.set(order.id, { id: order.id, customerId: this.id, lines });
    }
  }

  private ownOrderIds(): string[] {
    return [...this.world.orders.values()]
      .filter((order) => order.customerId === this.id)
      .map((order) => order.id);
  }

  private async viewOwnOrder(): Promise<void> {
    const id = pick(this.ownOrderIds());
    if (id) await this.call('GET /orders/:id (own)', `/api/orders/${id}`, {}, OK);
  }

  /** Another customer's order is not there for this one (404, never its data). */
  private async viewOthersOrder(): Promise<void> {
    const other = pick([...this.world.orders.values()].filter((o) => o.customerId !== this.id));
    if (!other) return;
    await this.call(
      'GET /orders/:id (another customer)',
      `/api/orders/${other.id}`,
      {},
      allow({ 404: ['NOT_FOUND'] }),
    );
  }

  private async cancelPending(): Promise<void> {
    const latest = latestOrders(this.allEvents);
    const pending = [...latest.values()].filter((order) => order.status === 'pending');
    const order = pick(pending);
    if (!order) return;
    // The bar may have accepted it meanwhile: then the contract's answer is 409.
    await this.call(
      'POST /orders/:id/cancel (customer)',
      `/api/orders/${order.id}/cancel`,
      { method: 'POST', json: {} },
      allow({ 200: null, 409: ['INVALID_TRANSITION'] }),
    );
  }

  /** Rotation; now and then two tabs refresh at once with the same token (within the grace). */
  private async refresh(): Promise<void> {
    const session = this.session!;
    const send = () =>
      this.world.rec.call(
        'POST /auth/refresh',
        this.world.url('/api/auth/refresh'),
        { method: 'POST', json: { app: 'customer', refreshToken: session.refreshToken } },
        either(
          OK,
          (status, code) =>
            status === 401 && code === 'SESSION_REVOKED' && this.world.adminRevoked.has(session.id),
        ),
      );
    const answers = randomInt(10) === 0 ? await Promise.all([send(), send()]) : [await send()];
    if (answers.some((answer) => answer?.status === 401)) {
      if (this.world.adminRevoked.has(session.id)) this.revokedByAdmin = true;
      return;
    }
    const fresh = answers.filter((answer) => answer?.status === 200);
    if (fresh.length === 0) return;
    const tokens = new Set(fresh.map((answer) => answer!.body.refreshToken as string));
    if (tokens.size !== 1) this.world.rec.problem('concurrent refreshes got different tokens');
    if (fresh[0]!.body.refreshToken === session.refreshToken) {
      this.world.rec.problem('refresh did not rotate the token');
    }
    if (this.session === session) {
      this.session = {
        id: session.id,
        accessToken: fresh[0]!.body.accessToken,
        refreshToken: fresh[0]!.body.refreshToken,
      };
    }
  }

  private async signOutAndIn(): Promise<void> {
    await this.call(
      'POST /auth/logout',
      '/api/auth/logout',
      { method: 'POST' },
      allow({ 204: null }),
    );
    await this.afterRevocation(
      this.world.adminRevoked.has(this.session!.id) ? ['logout', 'admin'] : ['logout'],
      'sign-out',
    );
  }

  /**
   * After the run: a customer left without a session in its last moments (signed out, or revoked
   * by the admin, also while retired) signs in again and resumes after the last event it received,
   * as the app would, so every change to its orders must still reach it (through the replay).
   */
  async rejoin(): Promise<void> {
    if (this.session && this.world.adminRevoked.has(this.session.id)) {
      await this.afterRevocation(['admin', 'logout'], 'admin revoke at the end');
    }
    if (!this.session && this.id !== '') await this.signIn();
  }

  /** The old stream got `session.revoked` and ended; the old tokens are refused; sign in again. */
  private async afterRevocation(reasons: string[], why: string): Promise<void> {
    const session = this.session!;
    const stream = this.stream;
    if (stream) {
      if (!(await awaitEnd(stream, 5_000))) {
        this.world.rec.problem(`${why}: stream of ${session.id} still open after 5 s`);
        stream.close();
      }
      const revoked = stream.events.find((event) => event.event === 'session.revoked');
      if (revoked?.data.sessionId !== session.id || !reasons.includes(revoked.data.reason)) {
        this.world.rec.problem(
          `${why}: stream of ${session.id} ended with ${JSON.stringify(revoked)}`,
        );
      }
    }
    await expectRefused(this.world, session, 'customer', why);
    this.session = undefined;
    this.revokedByAdmin = false;
    if (!this.world.stopped) await this.signIn();
  }
}

/** A bartender or an admin: their current session, and requests made with its token. */
abstract class StaffMember {
  protected session: Session | undefined;
  protected signedInAt = 0;

  constructor(
    protected readonly world: World,
    protected readonly email: string,
    protected readonly password: string,
  ) {}

  /** Signs in to `app` on a new device and makes that session the current one; false if refused. */
  protected async signInTo(app: 'bartender' | 'admin', userAgent: string): Promise<boolean> {
    const signed = await signIn(
      this.world,
      { email: this.email, password: this.password },
      app,
      userAgent,
    );
    if (!signed) return false;
    this.session = signed.session;
    this.signedInAt = Date.now();
    return true;
  }

  protected call(
    kind: string,
    path: string,
    init: RequestInit & { json?: unknown },
    expected: Expectation,
  ) {
    return this.world.rec.call(
      kind,
      this.world.url(path),
      { ...init, headers: bearer(this.session!.accessToken) },
      expected,
    );
  }
}

export class Bartender extends StaffMember {
  stream: OpenStream | undefined;
  private readonly known = new Map<string, any>();
  private seen = 0;
  /** Items this bartender took off, with when to put them back. */
  private readonly eightySixed = new Map<string, number>();

  async start(): Promise<void> {
    await this.signIn();
    const opened = await openEvents(this.world.url(''), this.session!.accessToken);
    this.world.rec.count('GET /events (bartender)', String(opened.status));
    if (!opened.stream) throw new Error(`bartender stream refused: ${opened.status}`);
    this.stream = opened.stream;
  }

  private async signIn(): Promise<void> {
    if (!(await this.signInTo('bartender', `soak-bar/${randomInt(1e6)}`))) {
      throw new Error('bartender sign-in failed');
    }
  }

  private absorb(order: any): void {
    const known = this.known.get(order.id);
    if (!known || known.version < order.version) this.known.set(order.id, order);
  }

  async run(): Promise<void> {
    let actions = 0;
    while (!this.world.stopped) {
      if (!(await this.world.think(200, 700))) break;
      const events = this.stream!.events;
      latestOrders(events.slice(this.seen), this.known);
      this.seen = events.length;
      if (this.stream!.isEnded) this.world.rec.problem('bartender stream ended');
      actions++;
      if (Date.now() - this.signedInAt > 60_000) await this.refresh();
      else if (actions % 15 === 0) {
        await this.call(
          'GET /orders (bar queue)',
          '/api/orders?status=pending,accepted,preparing,ready&limit=100',
          {},
          OK,
        );
      } else if (actions % 40 === 0) await this.eightySix();
      else await this.move();
      await this.putBack(false);
    }
    await this.putBack(true);
  }

  private async refresh(): Promise<void> {
    const response = await this.world.rec.call(
      'POST /auth/refresh (bartender)',
      this.world.url('/api/auth/refresh'),
      { method: 'POST', json: { app: 'bartender', refreshToken: this.session!.refreshToken } },
      OK,
    );
    if (response?.status !== 200) return;
    this.session = {
      id: this.session!.id,
      accessToken: response.body.accessToken,
      refreshToken: response.body.refreshToken,
    };
    this.signedInAt = Date.now();
  }

  /** Advances an order (oldest first, mostly), sometimes recalls one or cancels with a reason. */
  private async move(): Promise<void> {
    const open = [...this.known.values()]
      .filter((order) => order.status !== 'completed' && order.status !== 'cancelled')
      .sort((a, b) => String(a.createdAt).localeCompare(String(b.createdAt)));
    if (open.length === 0) return;
    const order = randomInt(3) === 0 ? pick(open) : open[randomInt(Math.min(3, open.length))];
    if (!order) return;
    const next: Record<string, string> = {
      pending: 'accepted',
      accepted: 'preparing',
      preparing: 'ready',
      ready: 'completed',
    };
    const back: Record<string, string> = { preparing: 'accepted', ready: 'preparing' };
    const roll = randomInt(100);
    let json: Record<string, unknown> = { status: next[order.status], version: order.version };
    if (roll < 3) json = { status: 'cancelled', version: order.version, reason: 'Soak: spilled' };
    else if (roll < 11 && back[order.status]) {
      json = { status: back[order.status], version: order.version };
    }
    // Two bartenders race for the same orders: the loser gets 409 (stale version or a move
    // the current status no longer allows, e.g. the customer cancelled).
    const response = await this.call(
      'PATCH /orders/:id/status',
      `/api/orders/${order.id}/status`,
      { method: 'PATCH', json },
      allow({ 200: null, 409: ['VERSION_CONFLICT', 'INVALID_TRANSITION'] }),
    );
    if (response?.status === 200) this.absorb(response.body);
    else if (response?.body?.code === 'VERSION_CONFLICT')
      this.absorb(response.body.details.current);
    else if (response?.status === 409) {
      const current = await this.call('GET /orders/:id (bar)', `/api/orders/${order.id}`, {}, OK);
      if (current?.status === 200) this.absorb(current.body);
    }
  }

  /** Takes an item off the menu for a few seconds (customers ordering it get 409). */
  private async eightySix(): Promise<void> {
    const item = pick(this.world.menu.filter((entry) => entry.available));
    if (!item || this.eightySixed.has(item.id)) return;
    const response = await this.call(
      'PATCH /menu/:id/availability',
      `/api/menu/${item.id}/availability`,
      { method: 'PATCH', json: { available: false } },
      OK,
    );
    if (response?.status === 200) this.eightySixed.set(item.id, Date.now() + 3_000);
  }

  private async putBack(all: boolean): Promise<void> {
    for (const [id, at] of this.eightySixed) {
      if (!all && Date.now() < at) continue;
      const response = await this.call(
        'PATCH /menu/:id/availability',
        `/api/menu/${id}/availability`,
        { method: 'PATCH', json: { available: true } },
        OK,
      );
      if (response?.status === 200) this.eightySixed.delete(id);
    }
  }
}

export class Admin extends StaffMember {
  private devices = 0;

  async start(): Promise<void> {
    if (!(await this.signInTo('admin', 'soak-admin/0'))) throw new Error('admin sign-in failed');
  }

  async run(): Promise<void> {
    while (!this.world.stopped) {
      if (!(await this.world.think(1_000, 3_000))) break;
      if (Date.now() - this.signedInAt > 30_000) {
        await this.signInOnAnotherDevice();
        continue;
      }
      const roll = randomInt(100);
      if (roll < 18) {
        const q = randomInt(3) === 0 ? '&q=customer' : '';
        await this.call(
          'GET /admin/users',
          `/api/admin/users?page=${1 + randomInt(3)}&limit=20${q}`,
          {},
          OK,
        );
      } else if (roll < 34) {
        await this.call(
          'GET /admin/sessions',
          '/api/admin/sessions?role=customer&limit=50',
          {},
          OK,
        );
      } else if (roll < 48) {
        const type = pick(['', 'login_succeeded', 'session_revoked', 'login_failed'])!;
        await this.call(
          'GET /admin/audit',
          `/api/admin/audit?limit=20${type ? `&type=${type}` : ''}`,
          {},
          OK,
        );
      } else if (roll < 58) {
        const today = new Date().toISOString().slice(0, 10);
        await this.call(
          'GET /admin/reports/sales',
          `/api/admin/reports/sales?from=${today}&to=${today}`,
          {},
          OK,
        );
      } else if (roll < 75) await this.restock();
      else if (roll < 83) await this.revokeCustomerSession();
      else await this.call('GET /orders (admin)', '/api/orders?limit=50', {}, OK);
    }
  }

  /** Adds to a stocked item's stock (never overwriting what concurrent orders left). */
  private async restock(): Promise<void> {
    const item = pick(this.world.menu.filter((entry) => entry.stock !== null));
    if (!item) return;
    const delta = 3 + randomInt(10);
    const response = await this.call(
      'PATCH /admin/menu-items/:id (restock)',
      `/api/admin/menu-items/${item.id}`,
      { method: 'PATCH', json: { stockDelta: delta } },
      OK,
    );
    if (response?.status === 200) {
      this.world.restocks.set(item.id, (this.world.restocks.get(item.id) ?? 0) + delta);
    }
  }

  private async revokeCustomerSession(): Promise<void> {
    const target = pick(
      this.world.customers.filter((customer) => customer.active && customer.session),
    );
    const sessionId = target?.session?.id;
    if (!target || !sessionId) return;
    this.world.adminRevoked.add(sessionId);
    // 404 only when the customer signed that session out meanwhile.
    await this.call(
      'DELETE /admin/sessions/:id',
      `/api/admin/sessions/${sessionId}`,
      { method: 'DELETE' },
      either(allow({ 204: null }), (status) => status === 404 && target.session?.id !== sessionId),
    );
  }

  /** The admin app allows one session: signing in elsewhere evicts this one. */
  private async signInOnAnotherDevice(): Promise<void> {
    const old = this.session!;
    if (!(await this.signInTo('admin', `soak-admin/${++this.devices}`))) return;
    await expectRefused(this.world, old, 'admin', 'admin eviction');
  }
}

/** Registers new customers now and then, and tries an unknown email (401, nothing revealed). */
export async function door(
  world: World,
  onNewCustomer: (customer: Customer) => void,
): Promise<void> {
  let rounds = 0;
  while (!world.stopped) {
    if (!(await world.think(12_000, 18_000))) break;
    rounds++;
    const email = `soak-${randomUUID().slice(0, 12)}@example.com`;
    const registered = await world.rec.call(
      'POST /auth/register',
      world.url('/api/auth/register'),
      { method: 'POST', json: { email, password: STRONG_PASSWORD, name: `Guest ${rounds}` } },
      allow({ 201: null }),
    );
    if (registered?.status === 201) onNewCustomer(new Customer(world, email, STRONG_PASSWORD));
    if (rounds % 2 === 0) {
      await world.rec.call(
        'POST /auth/login (unknown email)',
        world.url('/api/auth/login'),
        {
          method: 'POST',
          json: {
            email: `nobody-${randomUUID().slice(0, 8)}@example.com`,
            password: STRONG_PASSWORD,
            app: 'customer',
          },
        },
        allow({ 401: ['INVALID_CREDENTIALS'] }),
      );
    }
  }
}

export { latestOrders };

/** Events whose id is lower than one the same stream delivered before them. */
export function outOfOrder(events: readonly SseEvent[]): number {
  let highest = -1n;
  let count = 0;
  for (const event of events) {
    if (event.id === undefined) continue;
    const id = BigInt(event.id);
    if (id < highest) count++;
    else highest = id;
  }
  return count;
}

/** Where each copy of an event id delivered more than once arrived (stream, position). */
export function duplicateReport(customer: Customer): string[] {
  const copies = new Map<string, string[]>();
  customer.streams.forEach((stream, index) => {
    stream.events.forEach((event, position) => {
      if (event.id === undefined) return;
      const where = `stream ${index} (after ${customer.resumedAfter[index] ?? '-'}) #${position}/${stream.events.length} ${event.event} v${event.data?.version ?? ''}`;
      copies.set(event.id, [...(copies.get(event.id) ?? []), where]);
    });
  });
  return [...copies]
    .filter(([, where]) => where.length > 1)
    .map(([id, where]) => `id ${id}: ${where.join(' | ')}`);
}

/** Each stream of a customer: what it resumed after, its ids, and whether it has ended. */
export function streamsReport(customer: Customer): string {
  return customer.streams
    .map((stream, index) => {
      const ids = stream.events.map((event) => `${event.id ?? '-'} ${event.event}`);
      return `stream ${index} after ${customer.resumedAfter[index] ?? '-'}${stream.isEnded ? ', ended' : ''}: ${ids.join(', ')}`;
    })
    .join(' | ');
}
