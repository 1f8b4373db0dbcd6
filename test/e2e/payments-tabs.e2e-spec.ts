import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import { splitEvenly } from '../../src/orders/money.js';
import { type SignedIn, bearer, signInNew } from '../support/auth.js';
import { type JsonResponse, expectErrorBody, request } from '../support/http.js';
import { postgresUrl, waitUntilBlockedBy } from '../support/test-database.js';
import {
  type MenuItem,
  type OrdersWorld,
  cancelOrder,
  countRows,
  createItem,
  customer,
  placeOrder,
  startOrdersWorld,
} from './orders-support.js';

/** An order's payment figures, as the API shows them. */
interface Money {
  method: string;
  amountCents: number;
  tipCents?: number;
}
interface OrderFigures {
  paidCents: number;
  tipCents: number;
  refundedCents: number;
  balanceCents: number;
  payments: Money[];
  refunds: Money[];
}

// Real HTTP, a real database and 20 concurrent requests: slow machines need more than 5 s.
jest.setTimeout(90_000);

describe('payments, refunds and tabs', () => {
  let world: OrdersWorld;
  let alice: SignedIn;
  let beer: MenuItem;
  let burger: MenuItem;
  /** Table numbers, one per test that needs a tab of its own. */
  let nextTable = 100;

  beforeAll(async () => {
    world = await startOrdersWorld();
    alice = await customer(world);
    beer = await createItem(world, { name: 'Pilsner', priceCents: 450 });
    burger = await createItem(world, { name: 'Burger', priceCents: 1290 });
  }, 90_000);
  afterAll(() => world.close());

  async function order(
    who: SignedIn,
    lines: { menuItemId: string; quantity: number }[],
    tableNumber?: number,
  ): Promise<any> {
    const response = await placeOrder(world, who, {
      items: lines,
      ...(tableNumber === undefined ? {} : { tableNumber }),
    });
    if (response.status !== 201) throw new Error(`order: ${response.status} ${response.text}`);
    return response.body;
  }

  function pay(
    who: SignedIn,
    orderId: string,
    body: unknown,
    key: string | null = randomUUID(),
  ): Promise<JsonResponse> {
    return request(`${world.app.url}/api/orders/${orderId}/payments`, {
      method: 'POST',
      headers: { ...bearer(who.accessToken), ...(key === null ? {} : { 'idempotency-key': key }) },
      json: body,
    });
  }

  function refund(
    who: SignedIn,
    orderId: string,
    body: unknown,
    key?: string,
  ): Promise<JsonResponse> {
    return request(`${world.app.url}/api/orders/${orderId}/refunds`, {
      method: 'POST',
      headers: {
        ...bearer(who.accessToken),
        ...(key === undefined ? {} : { 'idempotency-key': key }),
      },
      json: body,
    });
  }

  function tab(who: SignedIn, query: string): Promise<JsonResponse> {
    return request(`${world.app.url}/api/tabs?${query}`, { headers: bearer(who.accessToken) });
  }

  function payTab(who: SignedIn, body: unknown, key = randomUUID()): Promise<JsonResponse> {
    return request(`${world.app.url}/api/tabs/payments`, {
      method: 'POST',
      headers: { ...bearer(who.accessToken), 'idempotency-key': key },
      json: body,
    });
  }

  async function paymentRows(orderId: string): Promise<number> {
    const [row] = await world.app.sql<{ n: string }>(
      'SELECT count(*) AS n FROM order_payments WHERE order_id = $1',
      [orderId],
    );
    return Number(row?.n);
  }

  async function read(orderId: string, who: SignedIn = world.bartender): Promise<any> {
    const response = await request(`${world.app.url}/api/orders/${orderId}`, {
      headers: bearer(who.accessToken),
    });
    expect(response.status).toBe(200);
    return response.body;
  }

  it('shows a new order unpaid, then partially paid, then paid', async () => {
    const placed = await order(alice, [
      { menuItemId: beer.id, quantity: 2 },
      { menuItemId: burger.id, quantity: 1 },
    ]);
    expect(placed).toMatchObject({
      totalCents: 2190,
      paymentStatus: 'unpaid',
      paidCents: 0,
      tipCents: 0,
      refundedCents: 0,
      balanceCents: 2190,
      payments: [],
      refunds: [],
    });

    const first = await pay(world.bartender, placed.id, { method: 'cash', amountCents: 1000 });
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(first.body).toMatchObject({
      id: placed.id,
      paymentStatus: 'partially_paid',
      paidCents: 1000,
      tipCents: 0,
      balanceCents: 1190,
      version: (placed.version as number) + 1,
      payments: [
        {
          method: 'cash',
          amountCents: 1000,
          tipCents: 0,
          by: {
            id: world.bartender.user.id,
            name: world.bartender.user.name,
            role: 'bartender',
          },
        },
      ],
    });
    expect(Date.parse(first.body.payments[0].at)).not.toBeNaN();

    const second = await pay(world.admin, placed.id, {
      method: 'card',
      amountCents: 1190,
      tipCents: 210,
    });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({
      paymentStatus: 'paid',
      paidCents: 2190,
      tipCents: 210,
      balanceCents: 0,
    });
    expect(second.body.payments.map((p: any) => [p.method, p.amountCents, p.tipCents])).toEqual([
      ['cash', 1000, 0],
      ['card', 1190, 210],
    ]);
    // The customer sees the same figures on their order, and in their list.
    const mine = await read(placed.id, alice);
    expect(mine).toEqual(second.body);
    const list = await request(`${world.app.url}/api/orders`, {
      headers: bearer(alice.accessToken),
    });
    expect(list.body.items.find((o: any) => o.id === placed.id)).toEqual(second.body);

    // Nothing is left to pay: even a cent is refused.
    const more = await pay(world.bartender, placed.id, { method: 'cash', amountCents: 1 });
    expect(expectErrorBody(more, 409, 'PAYMENT_EXCEEDS_BALANCE').details).toEqual({
      balanceCents: 0,
    });
  });

  it('announces a payment as order.updated, for the boards and the customer', async () => {
    const placed = await order(alice, [{ menuItemId: beer.id, quantity: 1 }]);
    const paid = await pay(world.bartender, placed.id, { method: 'card', amountCents: 450 });
    expect(paid.status).toBe(201);
    const events = await world.app.sql<{ payload: any; customer_id: string }>(
      `SELECT payload, customer_id FROM event_log
        WHERE type = 'order.updated' AND payload->'order'->>'id' = $1`,
      [placed.id],
    );
    expect(events).toHaveLength(1);
    expect(events[0]?.customer_id).toBe(alice.user.id);
    expect(events[0]?.payload.order).toEqual(paid.body);
  });

  it('records one payment for 20 concurrent requests with one key; all get the same order', async () => {
    const placed = await order(alice, [{ menuItemId: burger.id, quantity: 2 }]);
    const key = randomUUID();
    const body = { method: 'card', amountCents: 1000, tipCents: 50 };
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => pay(world.bartender, placed.id, body, key)),
    );
    for (const answer of answers) expect(answer.status).toBe(201);
    const first = answers[0]?.body;
    for (const answer of answers) expect(answer.body).toEqual(first);
    const fresh = answers.filter((answer) => answer.headers.get('idempotent-replayed') === null);
    expect(fresh).toHaveLength(1);
    for (const answer of answers) {
      if (answer !== fresh[0]) expect(answer.headers.get('idempotent-replayed')).toBe('true');
    }
    expect(await paymentRows(placed.id)).toBe(1);
    expect(first).toMatchObject({ paidCents: 1000, tipCents: 50, balanceCents: 1580 });

    // A later retry replays too; the same key with another body is refused and changes nothing.
    const again = await pay(world.bartender, placed.id, body, key);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first);
    const other = await pay(world.bartender, placed.id, { ...body, amountCents: 999 }, key);
    expectErrorBody(other, 422, 'IDEMPOTENCY_MISMATCH');
    expect(await paymentRows(placed.id)).toBe(1);
    // Keys are per staff member: another bartender's same key is a payment of their own.
    const colleague = await signInNew(world.app, 'bartender');
    const theirs = await pay(colleague, placed.id, body, key);
    expect(theirs.status).toBe(201);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(theirs.body.paidCents).toBe(2000);
  });

  it('lets exactly one of 20 concurrent full payments with different keys through', async () => {
    const placed = await order(alice, [{ menuItemId: beer.id, quantity: 3 }]);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        pay(index % 2 === 0 ? world.bartender : world.admin, placed.id, {
          method: 'cash',
          amountCents: 1350,
        }),
      ),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    for (const answer of answers.filter((a) => a.status !== 201)) {
      expect(expectErrorBody(answer, 409, 'PAYMENT_EXCEEDS_BALANCE').details).toEqual({
        balanceCents: 0,
      });
    }
    expect(await paymentRows(placed.id)).toBe(1);
    expect(await read(placed.id)).toMatchObject({ paidCents: 1350, paymentStatus: 'paid' });
  });

  it('refuses more than the balance and records nothing', async () => {
    const placed = await order(alice, [{ menuItemId: beer.id, quantity: 1 }]);
    const before = await countRows(world, 'order_payments');
    const over = await pay(world.bartender, placed.id, { method: 'cash', amountCents: 451 });
    expect(expectErrorBody(over, 409, 'PAYMENT_EXCEEDS_BALANCE').details).toEqual({
      balanceCents: 450,
    });
    expect(await countRows(world, 'order_payments')).toBe(before);
    expect(await read(placed.id)).toMatchObject({ version: placed.version, paidCents: 0 });
    // The refused request's key was not kept: the same key may pay the right amount.
    const key = randomUUID();
    expectErrorBody(
      await pay(world.bartender, placed.id, { method: 'cash', amountCents: 500 }, key),
      409,
      'PAYMENT_EXCEEDS_BALANCE',
    );
    const [kept] = await world.app.sql<{ n: string }>(
      'SELECT count(*) AS n FROM payment_idempotency_keys WHERE key = $1',
      [key],
    );
    expect(Number(kept?.n)).toBe(0);
  });

  it('refuses to take payment for a cancelled order, or an unknown one', async () => {
    const placed = await order(alice, [{ menuItemId: beer.id, quantity: 1 }]);
    expect((await cancelOrder(world, alice, placed.id)).status).toBe(200);
    const refused = await pay(world.bartender, placed.id, { method: 'cash', amountCents: 100 });
    expectErrorBody(refused, 409, 'INVALID_TRANSITION');
    expect(await paymentRows(placed.id)).toBe(0);
    expect(await read(placed.id)).toMatchObject({ balanceCents: 0, paymentStatus: 'unpaid' });
    expectErrorBody(
      await pay(world.bartender, randomUUID(), { method: 'cash', amountCents: 100 }),
      404,
      'NOT_FOUND',
    );
    expectErrorBody(
      await pay(world.bartender, 'not-an-id', { method: 'cash', amountCents: 100 }),
      404,
      'NOT_FOUND',
    );
  });

  it('refunds: admins only, never more than paid, and refunded once nothing is left paid', async () => {
    const placed = await order(alice, [{ menuItemId: burger.id, quantity: 1 }]);
    expect(
      (await pay(world.bartender, placed.id, { method: 'card', amountCents: 1290, tipCents: 100 }))
        .status,
    ).toBe(201);

    expectErrorBody(
      await refund(world.bartender, placed.id, { amountCents: 100, reason: 'Cold' }),
      403,
      'FORBIDDEN',
    );
    expectErrorBody(
      await refund(alice, placed.id, { amountCents: 100, reason: 'Cold' }),
      403,
      'FORBIDDEN',
    );
    const over = await refund(world.admin, placed.id, { amountCents: 1291, reason: 'Cold' });
    expect(expectErrorBody(over, 409, 'PAYMENT_EXCEEDS_BALANCE').details).toEqual({
      paidCents: 1290,
    });
    expect(await paymentRows(placed.id)).toBe(1);

    const part = await refund(world.admin, placed.id, { amountCents: 290, reason: 'Cold fries' });
    expect(part.status).toBe(201);
    // What is given back is settled, not owed again: nothing is left to pay.
    expect(part.body).toMatchObject({
      paymentStatus: 'refunded',
      paidCents: 1000,
      tipCents: 100,
      refundedCents: 290,
      balanceCents: 0,
      refunds: [
        {
          method: 'card',
          amountCents: 290,
          reason: 'Cold fries',
          by: { id: world.admin.user.id, role: 'admin' },
        },
      ],
    });
    const rest = await refund(world.admin, placed.id, {
      amountCents: 1000,
      reason: 'Sent back',
      method: 'cash',
    });
    expect(rest.status).toBe(201);
    expect(rest.body).toMatchObject({
      paymentStatus: 'refunded',
      paidCents: 0,
      refundedCents: 1290,
      balanceCents: 0,
    });
    // So a refunded order is never on a tab to be charged again.
    expect(
      (await tab(world.bartender, `customerId=${alice.user.id}`)).body.orders,
    ).not.toContainEqual(expect.objectContaining({ id: placed.id }));
    expect(rest.body.refunds.map((r: any) => r.method)).toEqual(['card', 'cash']);
    expectErrorBody(
      await refund(world.admin, placed.id, { amountCents: 1, reason: 'More' }),
      409,
      'PAYMENT_EXCEEDS_BALANCE',
    );
    // A paid order cannot be cancelled (by staff or its customer) until it is refunded.
    const paidFirst = await order(alice, [{ menuItemId: beer.id, quantity: 1 }]);
    await pay(world.bartender, paidFirst.id, { method: 'cash', amountCents: 450 });
    for (const who of [world.admin, alice]) {
      const refused = await cancelOrder(world, who, paidFirst.id, { reason: 'Gone' });
      expect(expectErrorBody(refused, 409, 'INVALID_TRANSITION').details).toMatchObject({
        paidCents: 450,
      });
    }
    expect(await read(paidFirst.id)).toMatchObject({ status: 'pending', paidCents: 450 });
    const back = await refund(world.admin, paidFirst.id, { amountCents: 450, reason: 'Gone' });
    expect(back.body).toMatchObject({ paymentStatus: 'refunded', balanceCents: 0 });
    const cancelled = await cancelOrder(world, world.admin, paidFirst.id, { reason: 'Gone' });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', paidCents: 0, balanceCents: 0 });
  });

  it('records a refund retried with its Idempotency-Key once', async () => {
    const placed = await order(alice, [{ menuItemId: beer.id, quantity: 2 }]);
    await pay(world.bartender, placed.id, { method: 'card', amountCents: 900 });
    const key = randomUUID();
    const body = { amountCents: 300, reason: 'Flat beer' };
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => refund(world.admin, placed.id, body, key)),
    );
    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201, 201, 201]);
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(4);
    expect(await read(placed.id)).toMatchObject({ refundedCents: 300, paidCents: 600 });
    // The same key for another refund, or for a payment, is another request.
    expectErrorBody(
      await refund(world.admin, placed.id, { ...body, reason: 'Warm beer' }, key),
      422,
      'IDEMPOTENCY_MISMATCH',
    );
    // A reason of only spaces is no reason.
    expectErrorBody(
      await refund(world.admin, placed.id, { amountCents: 1, reason: '  \t ' }),
      400,
      'VALIDATION_FAILED',
    );
    expect(await paymentRows(placed.id)).toBe(2);
  });

  it('writes readable audit entries for payments and refunds', async () => {
    const placed = await order(alice, [{ menuItemId: beer.id, quantity: 2 }]);
    await pay(world.bartender, placed.id, { method: 'card', amountCents: 900, tipCents: 100 });
    await refund(world.admin, placed.id, { amountCents: 400, reason: 'Flat beer' });
    const audit = await request(
      `${world.app.url}/api/admin/audit?type=payment_recorded,refund_recorded&limit=100`,
      { headers: bearer(world.admin.accessToken) },
    );
    expect(audit.status).toBe(200);
    const mine = audit.body.items.filter((entry: any) => entry.details.orderId === placed.id);
    expect(mine.map((entry: any) => [entry.type, entry.summary])).toEqual([
      [
        'refund_recorded',
        `${world.admin.user.name} refunded €4.00 of order ${placed.number} by card (Flat beer)`,
      ],
      [
        'payment_recorded',
        `${world.bartender.user.name} took €9.00 by card for order ${placed.number} plus a €1.00 tip`,
      ],
    ]);
  });

  it('keeps customers and bad input out, and changes nothing', async () => {
    const placed = await order(alice, [{ menuItemId: beer.id, quantity: 1 }]);
    const good = { method: 'cash', amountCents: 100 };
    expectErrorBody(await pay(alice, placed.id, good), 403, 'FORBIDDEN');
    expectErrorBody(await tab(alice, 'tableNumber=1'), 403, 'FORBIDDEN');
    expectErrorBody(await payTab(alice, { ...good, tableNumber: 1 }), 403, 'FORBIDDEN');
    for (const body of [
      { method: 'bitcoin', amountCents: 100 },
      { method: 'cash', amountCents: 0 },
      { method: 'cash', amountCents: -100 },
      { method: 'cash', amountCents: 1.5 },
      { method: 'cash', amountCents: '100' },
      { method: 'cash', amountCents: 100, tipCents: -1 },
      { method: 'cash', amountCents: 100, extra: true },
      { amountCents: 100 },
    ]) {
      expectErrorBody(await pay(world.bartender, placed.id, body), 400, 'VALIDATION_FAILED');
    }
    expectErrorBody(await pay(world.bartender, placed.id, good, null), 400, 'VALIDATION_FAILED');
    expectErrorBody(
      await refund(world.admin, placed.id, { amountCents: 1, reason: '' }),
      400,
      'VALIDATION_FAILED',
    );
    expectErrorBody(
      await refund(world.admin, placed.id, { amountCents: 1, reason: 'x', tipCents: 1 }),
      400,
      'VALIDATION_FAILED',
    );
    expectErrorBody(await tab(world.bartender, ''), 400, 'VALIDATION_FAILED');
    expectErrorBody(
      await tab(world.bartender, `tableNumber=1&customerId=${alice.user.id}`),
      400,
      'VALIDATION_FAILED',
    );
    expectErrorBody(await tab(world.bartender, 'tableNumber=0'), 400, 'VALIDATION_FAILED');
    expectErrorBody(await payTab(world.bartender, good), 400, 'VALIDATION_FAILED');
    expectErrorBody(
      await payTab(world.bartender, { ...good, tableNumber: 1, orderIds: [] }),
      400,
      'VALIDATION_FAILED',
    );
    expectErrorBody(
      await payTab(world.bartender, { ...good, tableNumber: 1, orderIds: ['nope'] }),
      400,
      'VALIDATION_FAILED',
    );
    expect(await paymentRows(placed.id)).toBe(0);
  });

  it("lists a table's tab, oldest first, and pays it across orders", async () => {
    const table = nextTable++;
    const bob = await customer(world);
    const first = await order(alice, [{ menuItemId: beer.id, quantity: 2 }], table); // 900
    const second = await order(bob, [{ menuItemId: burger.id, quantity: 1 }], table); // 1290
    const third = await order(alice, [{ menuItemId: beer.id, quantity: 1 }], table); // 450
    const gone = await order(bob, [{ menuItemId: beer.id, quantity: 1 }], table);
    await cancelOrder(world, bob, gone.id);
    await order(alice, [{ menuItemId: beer.id, quantity: 1 }], table + 500); // another table

    const open = await tab(world.bartender, `tableNumber=${table}`);
    expect(open.status).toBe(200);
    expect(open.body.orders.map((o: any) => o.id)).toEqual([first.id, second.id, third.id]);
    expect(open.body).toMatchObject({ totalCents: 2640, paidCents: 0, balanceCents: 2640 });

    // 1500 pays the first (900) and 600 of the second; the tip goes with the first.
    const paid = await payTab(world.bartender, {
      tableNumber: table,
      method: 'card',
      amountCents: 1500,
      tipCents: 200,
    });
    expect(paid.status).toBe(201);
    expect(paid.body.orders.map((o: any) => o.id)).toEqual([second.id, third.id]);
    expect(paid.body).toMatchObject({ totalCents: 1740, paidCents: 600, balanceCents: 1140 });
    expect(await read(first.id)).toMatchObject({
      paymentStatus: 'paid',
      paidCents: 900,
      tipCents: 200,
      payments: [{ method: 'card', amountCents: 900, tipCents: 200 }],
    });
    expect(await read(second.id)).toMatchObject({
      paymentStatus: 'partially_paid',
      paidCents: 600,
      tipCents: 0,
    });
    expect((await tab(world.admin, `tableNumber=${table}`)).body).toEqual(paid.body);

    // Only the chosen order: the third, though the second is older.
    const chosen = await payTab(world.bartender, {
      tableNumber: table,
      orderIds: [third.id.toUpperCase()],
      method: 'cash',
      amountCents: 450,
    });
    expect(chosen.status).toBe(201);
    expect(chosen.body.orders.map((o: any) => o.id)).toEqual([second.id]);
    expect(await read(third.id)).toMatchObject({ paymentStatus: 'paid' });
    // More than the chosen orders' balance: 409, nothing recorded.
    const before = await countRows(world, 'order_payments');
    const over = await payTab(world.bartender, {
      tableNumber: table,
      orderIds: [second.id],
      method: 'cash',
      amountCents: 691,
    });
    expect(expectErrorBody(over, 409, 'PAYMENT_EXCEEDS_BALANCE').details).toEqual({
      balanceCents: 690,
    });
    // An order of another table, a cancelled one, an unknown id: 400 on orderIds.
    for (const stranger of [gone.id, randomUUID()]) {
      const refused = await payTab(world.bartender, {
        tableNumber: table,
        orderIds: [second.id, stranger],
        method: 'cash',
        amountCents: 10,
      });
      const error = expectErrorBody(refused, 400, 'VALIDATION_FAILED');
      expect(JSON.stringify(error.details)).toContain('orderIds');
    }
    expect(await countRows(world, 'order_payments')).toBe(before);
  });

  it('settles a balance exactly when split evenly and paid share by share', async () => {
    const table = nextTable++;
    await order(alice, [{ menuItemId: beer.id, quantity: 1 }], table);
    await order(alice, [{ menuItemId: burger.id, quantity: 1 }], table);
    await order(alice, [{ menuItemId: beer.id, quantity: 3 }], table);
    const open = await tab(world.bartender, `tableNumber=${table}`);
    const balance = open.body.balanceCents as number;
    expect(balance).toBe(450 + 1290 + 1350);
    const shares = splitEvenly(balance, 7);
    expect(new Set(shares).size).toBeGreaterThan(1); // 3090 / 7 leaves cents over
    let last: JsonResponse | undefined;
    for (const share of shares) {
      last = await payTab(world.bartender, {
        tableNumber: table,
        method: 'card',
        amountCents: share,
      });
      expect(last.status).toBe(201);
    }
    expect(last?.body).toEqual({ orders: [], totalCents: 0, paidCents: 0, balanceCents: 0 });
    const orders = await world.app.sql<{ id: string }>(
      'SELECT id FROM orders WHERE table_number = $1',
      [table],
    );
    for (const { id } of orders) {
      expect(await read(id)).toMatchObject({ paymentStatus: 'paid', balanceCents: 0 });
    }
  });

  it("a customer's tab; tab payments are idempotent and serialised", async () => {
    const carol = await customer(world);
    const a = await order(carol, [{ menuItemId: beer.id, quantity: 2 }]);
    const b = await order(carol, [{ menuItemId: beer.id, quantity: 2 }]);
    const open = await tab(world.bartender, `customerId=${carol.user.id}`);
    expect(open.body.orders.map((o: any) => o.id)).toEqual([a.id, b.id]);

    const key = randomUUID();
    const body = { customerId: carol.user.id, method: 'other', amountCents: 1000 };
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => payTab(world.bartender, body, key)),
    );
    for (const answer of answers) expect(answer.status).toBe(201);
    for (const answer of answers) expect(answer.body).toEqual(answers[0]?.body);
    expect(answers.filter((x) => x.headers.get('idempotent-replayed') === null)).toHaveLength(1);
    expect((await paymentRows(a.id)) + (await paymentRows(b.id))).toBe(2);
    expect(answers[0]?.body).toMatchObject({ balanceCents: 800 });

    // 20 different keys, each for the whole balance: one goes through.
    const racing = await Promise.all(
      Array.from({ length: 20 }, () =>
        payTab(world.bartender, { customerId: carol.user.id, method: 'cash', amountCents: 800 }),
      ),
    );
    expect(racing.filter((x) => x.status === 201)).toHaveLength(1);
    for (const answer of racing.filter((x) => x.status !== 201)) {
      expectErrorBody(answer, 409, 'PAYMENT_EXCEEDS_BALANCE');
    }
    expect(await read(b.id)).toMatchObject({ paymentStatus: 'paid', paidCents: 900 });
  });

  if (postgresUrl) {
    it('never pays an order placed while a tab payment waited for its locks (PostgreSQL)', async () => {
      const table = nextTable++;
      const first = await order(alice, [{ menuItemId: beer.id, quantity: 1 }], table);
      const holder = world.app.app.get(DataSource).createQueryRunner();
      await holder.connect();
      try {
        // Someone holds the tab's one order (a slow request): the tab payment waits for it.
        await holder.startTransaction();
        const [{ pid }] = (await holder.query(`SELECT pg_backend_pid() AS pid`)) as [
          { pid: number },
        ];
        await holder.query(`SELECT 1 FROM orders WHERE id = $1 FOR UPDATE`, [first.id]);
        const pending = payTab(world.bartender, {
          tableNumber: table,
          method: 'card',
          amountCents: 900,
        });
        expect(await waitUntilBlockedBy(world.app, pid)).toBe(true);
        // Meanwhile a second order joins the table. The tab payment does not hold its row, so it
        // must not pay it: a payment of it on its own would not wait, and it would be paid twice.
        const second = await order(alice, [{ menuItemId: beer.id, quantity: 1 }], table);
        await holder.commitTransaction();
        // The tab payment saw only the order it held: 450 left, 900 asked.
        expect(expectErrorBody(await pending, 409, 'PAYMENT_EXCEEDS_BALANCE').details).toEqual({
          balanceCents: 450,
        });
        expect(await paymentRows(second.id)).toBe(0);
        expect(await paymentRows(first.id)).toBe(0);
        const own = await pay(world.bartender, second.id, { method: 'cash', amountCents: 450 });
        expect(own.body).toMatchObject({ paidCents: 450, balanceCents: 0 });
      } finally {
        if (holder.isTransactionActive) await holder.rollbackTransaction();
        await holder.release();
      }
    });
  }

  it("adds the orders' own payment figures up in the sales report", async () => {
    // Something of every kind: unpaid, partly paid, refunded, cancelled.
    const unpaid = await order(alice, [{ menuItemId: burger.id, quantity: 1 }]);
    const partly = await order(alice, [{ menuItemId: burger.id, quantity: 2 }]);
    await pay(world.bartender, partly.id, { method: 'other', amountCents: 700, tipCents: 30 });
    expect(unpaid.paymentStatus).toBe('unpaid');

    const orders: OrderFigures[] = [];
    for (let page = 1; ; page++) {
      const response = await request(`${world.app.url}/api/orders?limit=100&page=${page}`, {
        headers: bearer(world.admin.accessToken),
      });
      orders.push(...response.body.items);
      if (orders.length >= response.body.total) break;
    }
    const report = await request(`${world.app.url}/api/admin/reports/sales`, {
      headers: bearer(world.admin.accessToken),
    });
    expect(report.status).toBe(200);
    const sum = (pick: (o: OrderFigures) => number) =>
      orders.reduce((total, o) => total + pick(o), 0);
    expect(report.body).toMatchObject({
      paidCents: sum((o) => o.paidCents),
      tipCents: sum((o) => o.tipCents),
      refundedCents: sum((o) => o.refundedCents),
      unpaidCents: sum((o) => o.balanceCents),
    });
    expect(report.body.refundedCents).toBeGreaterThan(0);
    const payments = orders.flatMap((o) => o.payments);
    const refunds = orders.flatMap((o) => o.refunds);
    const total = (entries: Money[], method: string, pick: (entry: Money) => number) =>
      entries.filter((entry) => entry.method === method).reduce((t, e) => t + pick(e), 0);
    expect(report.body.payments).toEqual(
      ['cash', 'card', 'other'].map((method) => ({
        method,
        amountCents: total(payments, method, (p) => p.amountCents),
        tipCents: total(payments, method, (p) => p.tipCents ?? 0),
        refundedCents: total(refunds, method, (r) => r.amountCents),
      })),
    );
  });
});
