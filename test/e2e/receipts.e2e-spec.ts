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
  }, 60_000);
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
