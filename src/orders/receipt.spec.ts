import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { vatBreakdown } from './money.js';
import {
  RECEIPT_CONTENT_SECURITY_POLICY,
  type ReceiptLine,
  type ReceiptOrder,
  type ReceiptVenue,
  escapeHtml,
  renderReceipt,
} from './receipt.js';

const venue: ReceiptVenue = {
  name: 'The Tap',
  address: ['1 High St', 'Leeds LS1 1AA'],
  vatId: 'GB 123 456 789',
  timeZone: 'Europe/London',
  currency: 'EUR',
};

function line(fields: Partial<ReceiptLine> & { rate?: number } = {}): ReceiptLine & {
  rate: number;
} {
  return {
    name: 'Pilsner',
    unitPriceCents: 500,
    quantity: 1,
    note: null,
    options: [],
    rate: 2000,
    ...fields,
  };
}

function order(
  lines: (ReceiptLine & { rate: number })[],
  fields: Partial<ReceiptOrder> = {},
): ReceiptOrder {
  const totalCents = lines.reduce((sum, l) => sum + l.unitPriceCents * l.quantity, 0);
  return {
    id: '00000000-0000-4000-8000-000000000001',
    number: 42,
    status: 'completed',
    createdAt: '2026-07-01T20:04:00.000Z',
    tableNumber: 7,
    cancelReason: null,
    items: lines,
    totalCents,
    vat: vatBreakdown(
      lines.map((l) => ({ grossCents: l.unitPriceCents * l.quantity, rateBasisPoints: l.rate })),
    ),
    paidCents: 0,
    tipCents: 0,
    refundedCents: 0,
    balanceCents: totalCents,
    payments: [],
    refunds: [],
    ...fields,
  };
}

/** The receipt as text: tags gone, references decoded, blanks squeezed. */
function textOf(html: string): string {
  const body = html.slice(html.indexOf('<body>'));
  return body
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

describe('renderReceipt', () => {
  it('shows the venue, the order, its lines with options, the total and VAT per rate', () => {
    const html = renderReceipt(
      order([
        line({
          name: 'IPA',
          unitPriceCents: 450,
          quantity: 2,
          options: [{ groupName: 'Size', name: 'Half', priceDeltaCents: -250 }],
        }),
        line({
          name: 'Burger',
          unitPriceCents: 1250,
          rate: 1000,
          note: 'no onions',
          options: [
            { groupName: 'Extras', name: 'Cheese', priceDeltaCents: 100 },
            { groupName: 'Extras', name: 'Pickles', priceDeltaCents: 0 },
          ],
        }),
      ]),
      venue,
    );
    expect(html.startsWith('<!doctype html>')).toBe(true);
    const text = textOf(html);
    expect(text).toContain('The Tap 1 High St Leeds LS1 1AA VAT no. GB 123 456 789');
    // 20:04 UTC is 21:04 in London in July.
    expect(text).toContain('Order #42 1 Jul 2026, 21:04 Table 7');
    expect(text).toContain('2 × IPA €9.00 Size: Half (−€2.50) €4.50 each');
    expect(text).toContain(
      '1 × Burger €12.50 Extras: Cheese (+€1.00) Extras: Pickles “no onions” Total €21.50',
    );
    // 9.00 at 20 %: VAT 1.50; 12.50 at 10 %: VAT 1.14 (half up). Lowest rate first.
    expect(text).toContain(
      'VAT included Rate Net VAT Gross 10% €11.36 €1.14 €12.50 20% €7.50 €1.50 €9.00',
    );
    expect(text).toContain('Balance due €21.50');
    expect(text).not.toContain('Payments');
  });

  it('lists payments and refunds, the tip, and says PAID when nothing is left to pay', () => {
    const paid = renderReceipt(
      order([line({ unitPriceCents: 1000 })], {
        paidCents: 1000,
        tipCents: 150,
        balanceCents: 0,
        payments: [
          { method: 'card', amountCents: 600, tipCents: 150, at: '2026-07-01T20:10:00Z' },
          { method: 'cash', amountCents: 400, tipCents: 0, at: '2026-07-01T20:11:00Z' },
        ],
      }),
      venue,
    );
    expect(textOf(paid)).toContain(
      'Payments Card · 1 Jul 2026, 21:10 €6.00 Cash · 1 Jul 2026, 21:11 €4.00 Paid €10.00 Tip €1.50 PAID',
    );

    const refunded = renderReceipt(
      order([line({ unitPriceCents: 1000 })], {
        paidCents: 0,
        refundedCents: 1000,
        balanceCents: 0,
        payments: [{ method: 'other', amountCents: 1000, tipCents: 0, at: '2026-07-01T20:10:00Z' }],
        refunds: [{ amountCents: 1000, reason: 'Flat <beer>', at: '2026-07-01T20:30:00Z' }],
      }),
      venue,
    );
    expect(textOf(refunded)).toContain(
      'Other · 1 Jul 2026, 21:10 €10.00 Refund · 1 Jul 2026, 21:30 −€10.00 “Flat <beer>” Paid €0.00 REFUNDED',
    );
    expect(refunded).toContain('Flat &lt;beer&gt;');

    const part = renderReceipt(
      order([line({ unitPriceCents: 1000 })], {
        paidCents: 300,
        balanceCents: 700,
        payments: [{ method: 'cash', amountCents: 300, tipCents: 0, at: '2026-07-01T20:10:00Z' }],
      }),
      venue,
    );
    expect(textOf(part)).toContain('Paid €3.00 Balance due €7.00');
    expect(textOf(part)).not.toContain('Tip');

    // A refund of part of what was paid: what is owed still comes first.
    const owed = renderReceipt(
      order([line({ unitPriceCents: 1000 })], {
        paidCents: 0,
        refundedCents: 500,
        balanceCents: 500,
        payments: [{ method: 'cash', amountCents: 500, tipCents: 0, at: '2026-07-01T20:10:00Z' }],
        refunds: [{ amountCents: 500, reason: 'Wrong charge', at: '2026-07-01T20:30:00Z' }],
      }),
      venue,
    );
    expect(textOf(owed)).toContain('Paid €0.00 Balance due €5.00');
    expect(textOf(owed)).not.toContain('REFUNDED');
    const kept = renderReceipt(
      order([line({ unitPriceCents: 1000 })], {
        paidCents: 700,
        refundedCents: 300,
        balanceCents: 0,
        payments: [{ method: 'card', amountCents: 1000, tipCents: 0, at: '2026-07-01T20:10:00Z' }],
        refunds: [{ amountCents: 300, reason: 'Cold', at: '2026-07-01T20:30:00Z' }],
      }),
      venue,
    );
    expect(textOf(kept)).toContain('Paid €7.00 PAID · €3.00 REFUNDED');
  });

  it('marks a cancelled order, with its reason', () => {
    const html = renderReceipt(
      order([line()], { status: 'cancelled', cancelReason: 'Out of kegs', balanceCents: 0 }),
      venue,
    );
    expect(textOf(html)).toContain('CANCELLED: Out of kegs');
    expect(textOf(html)).toContain('Nothing to pay');
  });

  it('leaves out what the venue or the order does not have', () => {
    const html = renderReceipt(order([line()], { tableNumber: null, vat: [] }), {
      ...venue,
      address: [],
      vatId: undefined,
    });
    const text = textOf(html);
    expect(text).toMatch(/^The Tap Order #42/);
    expect(text).not.toContain('VAT');
    expect(text).not.toContain('Table');
  });

  it('escapes every value: names, notes, options, reasons, venue settings', () => {
    const hostile = `<script>alert("x")</script><img src=x onerror='y'>&amp;`;
    const html = renderReceipt(
      order(
        [
          line({
            name: hostile,
            note: hostile,
            options: [{ groupName: hostile, name: hostile, priceDeltaCents: 0 }],
          }),
        ],
        { status: 'cancelled', cancelReason: hostile },
      ),
      { ...venue, name: hostile, address: [hostile], vatId: hostile },
    );
    const body = html.slice(html.indexOf('<body>'));
    // No markup of the hostile text survives: no element, no attribute, no raw ampersand.
    expect(body).not.toMatch(/<(script|img)/i);
    expect(body).not.toContain("onerror='");
    expect(html.match(/<script/gi)).toBeNull();
    const escaped = escapeHtml(hostile);
    expect(escaped).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=&#39;y&#39;&gt;&amp;amp;',
    );
    // name, address, VAT number, cancel reason, line name, option, note; and the <title>.
    expect(html.split(escaped).length - 1).toBeGreaterThanOrEqual(8);
    expect(textOf(html)).toContain(`1 × ${hostile}`);
  });

  it('keeps long names inside 80 mm: a fixed-layout table that wraps anywhere', () => {
    const long = 'Supercalifragilisticexpialidocious'.repeat(4);
    const html = renderReceipt(order([line({ name: long, note: long })]), venue);
    expect(html).toContain('@page { size: 80mm auto; margin: 0; }');
    expect(html).toMatch(/body \{\s*width: 80mm;/);
    expect(html).toContain('overflow-wrap: anywhere');
    expect(html).toContain('table-layout: fixed');
    // Amounts keep their column and break only when they could not fit it (seven figures),
    // rather than run past the roll; the text column takes what is left.
    expect(html).toMatch(/td\.amount, th\.amount \{[^}]*overflow-wrap: anywhere; width: 22mm/);
    expect(html).toContain(`1 × ${long}</td>`);
  });

  it('allows its own stylesheet and nothing else', () => {
    const html = renderReceipt(order([line()]), venue);
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((match) => match[1]);
    expect(styles).toHaveLength(1);
    const hash = createHash('sha256')
      .update(styles[0] ?? '', 'utf8')
      .digest('base64');
    expect(RECEIPT_CONTENT_SECURITY_POLICY).toContain(`style-src 'sha256-${hash}'`);
    expect(RECEIPT_CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(RECEIPT_CONTENT_SECURITY_POLICY).not.toContain('script-src');
    expect(html).not.toMatch(/ style=/);
  });
});
