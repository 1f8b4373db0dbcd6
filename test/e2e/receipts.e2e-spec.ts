/**
 * `GET /api/orders/:id/receipt` over real HTTP on a real database: what the receipt says (the
 * venue from configuration, the lines, VAT per rate adding up to the total), who may print one,
 * and the headers that keep it inert (HTML with its own Content-Security-Policy, never cached).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type SignedIn, bearer } from '../support/auth.js';
import { expectErrorBody, request } from '../support/http.js';
import {
  type OrdersWorld,
  advance,
  createItem,
  customer,
  placeOrder,
  startOrdersWorld,
} from './orders-support.js';
import { VENUE_MIDNIGHT_MARGIN_MS, clearOfVenueMidnight, venueDate } from '../support/venue-day.js';

const VENUE = {
  VENUE_NAME: 'The <Tap> & Co',
  VENUE_ADDRESS: '1 High St; Leeds LS1 1AA',
  VENUE_VAT_ID: 'GB 123 456 789',
  VENUE_TIMEZONE: 'Europe/London',
};

/** The receipt as text: tags gone, references decoded, blanks squeezed. */
function textOf(html: string): string {
  return html
    .slice(html.indexOf('<body>'))
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/** `€12.50` from cents, as the receipt writes money. */
const euros = (cents: number): string => `€${(cents / 100).toFixed(2)}`;

describe('GET /api/orders/:id/receipt', () => {
  let world: OrdersWorld;
  let alice: SignedIn;
  let bob: SignedIn;
  let order: any;

  beforeAll(async () => {
    // The payments' test adds up the day's orders, placed over the whole file.
    await clearOfVenueMidnight(VENUE.VENUE_TIMEZONE);
    world = await startOrdersWorld(VENUE);
    [alice, bob] = await Promise.all([customer(world), customer(world)]);
    const ipa = await createItem(world, {
      name: 'IPA',
      priceCents: 650,
      vatRateBasisPoints: 2000,
      optionGroups: [
        {
          name: 'Size',
          min: 1,
          max: 1,
          options: [
            { name: 'Pint', priceDeltaCents: 0 },
            { name: 'Half', priceDeltaCents: -200 },
          ],
        },
      ],
    });
    const nachos = await createItem(world, {
      name: 'Nachos <b>',
      priceCents: 625,
      vatRateBasisPoints: 1000,
      optionGroups: [
        {
          name: 'Extras',
          min: 0,
          max: 2,
          options: [
            { name: 'Cheese', priceDeltaCents: 100 },
            { name: 'Jalapeños & "heat"', priceDeltaCents: 0 },
          ],
        },
      ],
    });
    const optionId = (item: any, name: string): string =>
      item.optionGroups.flatMap((group: any) => group.options).find((o: any) => o.name === name).id;
    const placed = await placeOrder(world, alice, {
      items: [
        {
          menuItemId: ipa.id,
          quantity: 2,
          note: 'one <script>alert(1)</script>',
          options: [optionId(ipa, 'Half')],
        },
        {
          menuItemId: nachos.id,
          quantity: 1,
          options: [optionId(nachos, 'Cheese'), optionId(nachos, 'Jalapeños & "heat"')],
        },
      ],
      tableNumber: 7,
    });
    expect(placed.status).toBe(201);
    order = placed.body;
  }, 60_000 + VENUE_MIDNIGHT_MARGIN_MS);
  afterAll(() => world.close());

  const receipt = (id: string, who?: SignedIn) =>
    request(`${world.app.url}/api/orders/${id}/receipt`, {
      headers: who === undefined ? {} : bearer(who.accessToken),
    });

  it('is an HTML page with its own locked-down policy, never cached', async () => {
    const response = await receipt(order.id, alice);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*'; /);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('script-src');
    expect(response.headers.get('cache-control')).toContain('no-store');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.text.startsWith('<!doctype html>')).toBe(true);
    expect(response.text).toContain('@page { size: 80mm auto; margin: 0; }');
  });

  it('shows the venue, the order, its lines, the total and VAT adding up to it', async () => {
    const response = await receipt(order.id, alice);
    const text = textOf(response.text);
    expect(text).toContain('The <Tap> & Co 1 High St Leeds LS1 1AA VAT no. GB 123 456 789');
    const placedAt = new Intl.DateTimeFormat('en-GB', {
      timeZone: VENUE.VENUE_TIMEZONE,
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(new Date(order.createdAt));
    expect(text).toContain(`Order #${order.number} ${placedAt} Table 7`);
    expect(text).toContain(
      '2 × IPA €9.00 Size: Half (−€2.00) €4.50 each “one <script>alert(1)</script>” ' +
        '1 × Nachos <b> €7.25 Extras: Cheese (+€1.00) Extras: Jalapeños & "heat" Total €16.25',
    );
    // Escaped, never markup.
    expect(response.text).not.toContain('<script>');
    expect(response.text).not.toContain('<b>');
    expect(response.text).toContain('The &lt;Tap&gt; &amp; Co');
    // VAT per rate as the order's own breakdown, lowest rate first: 7.25 at 10 % holds 0.66,
    // 9.00 at 20 % holds 1.50; net and VAT of the rates add up to the total.
    expect(order.vat).toEqual([
      { rateBasisPoints: 1000, netCents: 659, vatCents: 66 },
      { rateBasisPoints: 2000, netCents: 750, vatCents: 150 },
    ]);
    expect(text).toContain(
      'VAT included Rate Net VAT Gross 10% €6.59 €0.66 €7.25 20% €7.50 €1.50 €9.00',
    );
    const rows = [
      ...response.text.matchAll(
        /<tr><td class="rate">[\d.]+%<\/td><td class="amount">€([\d.]+)<\/td><td class="amount">€([\d.]+)<\/td>/g,
      ),
    ];
    expect(rows).toHaveLength(2);
    const sum = rows.reduce(
      (total, row) => total + Math.round(Number(row[1]) * 100) + Math.round(Number(row[2]) * 100),
      0,
    );
    expect(sum).toBe(order.totalCents);
    expect(text).toContain(`Balance due ${euros(order.totalCents)}`);
  });

  it('is for the order’s customer and for staff; anyone else finds nothing', async () => {
    expect((await receipt(order.id, alice)).status).toBe(200);
    expect((await receipt(order.id, world.bartender)).status).toBe(200);
    expect((await receipt(order.id, world.admin)).status).toBe(200);
    const other = await receipt(order.id, bob);
    expectErrorBody(other, 404, 'NOT_FOUND');
    expect(other.headers.get('content-type')).toContain('application/json');
    // The same answer as for an order that does not exist, or a malformed id.
    expectErrorBody(await receipt(randomUUID(), alice), 404, 'NOT_FOUND');
    expectErrorBody(await receipt('not-an-id', world.admin), 404, 'NOT_FOUND');
    expectErrorBody(await receipt(order.id), 401, 'TOKEN_INVALID');
  });

  it('prints a cancelled order as cancelled, with its reason', async () => {
    const item = await createItem(world, { name: 'Cider', priceCents: 500 });
    const placed = await placeOrder(world, alice, {
      items: [{ menuItemId: item.id, quantity: 1 }],
    });
    const cancelled = await request(`${world.app.url}/api/orders/${placed.body.id}/status`, {
      method: 'PATCH',
      headers: bearer(world.bartender.accessToken),
      json: { status: 'cancelled', version: placed.body.version, reason: 'Keg <empty>' },
    });
    expect(cancelled.status).toBe(200);
    const text = textOf((await receipt(placed.body.id, alice)).text);
    expect(text).toContain('CANCELLED: Keg <empty>');
    expect(text).toContain('Nothing to pay');
    expect(text).not.toContain('Table');
  });

  const pay = async (id: string, body: Record<string, unknown>) => {
    const response = await request(`${world.app.url}/api/orders/${id}/payments`, {
      method: 'POST',
      headers: { ...bearer(world.bartender.accessToken), 'idempotency-key': randomUUID() },
      json: body,
    });
    expect(response.status).toBe(201);
    return response.body;
  };
  const refund = async (id: string, body: Record<string, unknown>) => {
    const response = await request(`${world.app.url}/api/orders/${id}/refunds`, {
      method: 'POST',
      headers: bearer(world.admin.accessToken),
      json: body,
    });
    expect(response.status).toBe(201);
    return response.body;
  };
  const venueTime = (iso: string): string =>
    new Intl.DateTimeFormat('en-GB', {
      timeZone: VENUE.VENUE_TIMEZONE,
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(new Date(iso));

  describe('with payments', () => {
    let paid: any;
    let refunded: any;

    beforeAll(async () => {
      // The first order, paid in two goes with a tip: nothing left to pay.
      await pay(order.id, { method: 'card', amountCents: 1000, tipCents: 150 });
      paid = await pay(order.id, { method: 'cash', amountCents: 625 });
      // Another, paid and partly refunded: some is due again.
      const item = await createItem(world, { name: 'Porter', priceCents: 800 });
      const placed = await placeOrder(world, alice, {
        items: [{ menuItemId: item.id, quantity: 1 }],
      });
      await pay(placed.body.id, { method: 'other', amountCents: 800 });
      refunded = await refund(placed.body.id, { amountCents: 300, reason: 'Flat <beer>' });
    });

    it('lists the payments, the tip, and says PAID when nothing is left', async () => {
      expect(paid).toMatchObject({
        paymentStatus: 'paid',
        paidCents: 1625,
        tipCents: 150,
        balanceCents: 0,
      });
      const text = textOf((await receipt(order.id, alice)).text);
      const [card, cash] = paid.payments;
      expect(text).toContain(
        `Payments Card · ${venueTime(card.at)} €10.00 Cash · ${venueTime(cash.at)} €6.25 ` +
          'Paid €16.25 Tip €1.50 PAID',
      );
      expect(text).not.toContain('Balance due');
    });

    it('lists refunds with their reason; what was refunded is not due again', async () => {
      expect(refunded).toMatchObject({
        paymentStatus: 'refunded',
        paidCents: 500,
        refundedCents: 300,
        balanceCents: 0,
      });
      const text = textOf((await receipt(refunded.id, world.admin)).text);
      expect(text).toContain(
        `Other · ${venueTime(refunded.payments[0].at)} €8.00 ` +
          `Refund · ${venueTime(refunded.refunds[0].at)} −€3.00 “Flat <beer>” Paid €5.00 PAID · €3.00 REFUNDED`,
      );
      expect(text).not.toContain('Tip');
    });

    it('puts the options, VAT per rate and payment figures of each order in orders.csv', async () => {
      const response = await fetch(
        `${world.app.url}/api/admin/orders.csv?customerId=${alice.user.id}`,
        {
          headers: bearer(world.admin.accessToken),
        },
      );
      expect(response.status).toBe(200);
      const lines = (await response.text()).replace(/^\uFEFF/, '').split('\r\n');
      const header = lines[0]?.split(',') ?? [];
      expect(header).toEqual([
        ...['number', 'id', 'createdAt', 'businessDay', 'status', 'customerName'],
        ...['customerEmail', 'tableNumber', 'items', 'total', 'totalCents'],
        ...['net0', 'net0Cents', 'vat0', 'vat0Cents'],
        ...['net1000', 'net1000Cents', 'vat1000', 'vat1000Cents'],
        ...['net2000', 'net2000Cents', 'vat2000', 'vat2000Cents'],
        ...['vat', 'vatCents', 'paymentStatus', 'paid', 'paidCents', 'tip', 'tipCents'],
        ...['refunded', 'refundedCents', 'cancelReason', 'note'],
      ]);
      const line = lines.find((entry) => entry.includes(order.id)) ?? '';
      // Quoted: the items hold a comma, a note with quotes, and "heat" in quotes.
      expect(line).toContain(
        '"2× IPA [Size: Half] (one <script>alert(1)</script>); ' +
          '1× Nachos <b> [Extras: Cheese, Extras: Jalapeños & ""heat""]",16.25,1625,' +
          '0.00,0,0.00,0,6.59,659,0.66,66,7.50,750,1.50,150,2.16,216,' +
          'paid,16.25,1625,1.50,150,0.00,0,,',
      );
      const other = lines.find((entry) => entry.includes(refunded.id)) ?? '';
      expect(other).toContain(
        '1× Porter,8.00,800,8.00,800,0.00,0,0.00,0,0.00,0,0.00,0,0.00,0,0.00,0,' +
          'refunded,5.00,500,0.00,0,3.00,300,,',
      );
    });

    it('adds up the orders’ own payment figures per day in sales.csv and the report', async () => {
      const { body: all } = await request(
        `${world.app.url}/api/orders?customerId=${alice.user.id}&limit=100`,
        { headers: bearer(world.admin.accessToken) },
      );
      const today = venueDate(VENUE.VENUE_TIMEZONE, new Date(order.createdAt));
      const sum = (field: string) =>
        all.items.reduce((total: number, entry: any) => total + Number(entry[field]), 0);
      const unpaid = all.items
        .filter((entry: any) => entry.status !== 'cancelled')
        .reduce((total: number, entry: any) => total + Number(entry.balanceCents), 0);
      const response = await fetch(
        `${world.app.url}/api/admin/reports/sales.csv?from=${today}&to=${today}`,
        { headers: bearer(world.admin.accessToken) },
      );
      const [head, values] = (await response.text())
        .replace(/^\uFEFF/, '')
        .split('\r\n')
        .map((entry) => entry.split(','));
      const figure = (name: string): number => Number(values?.[head?.indexOf(name) ?? -1]);
      // Every order of the day is Alice's.
      expect(figure('paidCents')).toBe(sum('paidCents'));
      expect(figure('tipCents')).toBe(sum('tipCents'));
      expect(figure('refundedCents')).toBe(sum('refundedCents'));
      expect(figure('unpaidCents')).toBe(unpaid);
      expect([figure('paidCents'), figure('tipCents'), figure('refundedCents')]).toEqual([
        2125, 150, 300,
      ]);
      const report = await request(
        `${world.app.url}/api/admin/reports/sales?from=${today}&to=${today}`,
        { headers: bearer(world.admin.accessToken) },
      );
      expect(report.body).toMatchObject({
        paidCents: figure('paidCents'),
        tipCents: figure('tipCents'),
        refundedCents: figure('refundedCents'),
        unpaidCents: figure('unpaidCents'),
      });
    });
  });

  it('prints a completed order', async () => {
    const item = await createItem(world, { name: 'Stout', priceCents: 550 });
    const placed = await placeOrder(world, alice, {
      items: [{ menuItemId: item.id, quantity: 1 }],
    });
    await advance(world, world.bartender, placed.body, 'completed');
    const response = await receipt(placed.body.id, world.admin);
    expect(response.status).toBe(200);
    expect(textOf(response.text)).toContain('1 × Stout €5.50 Total €5.50');
  });
});
