import { createHash } from 'node:crypto';
import type { VatShare } from './money.js';
import type { OrderStatus } from './order-state-machine.js';

/**
 * The printable receipt of an order: a pure function from the order (as the API shows it) and
 * the venue's settings to one self-contained HTML document, 80 mm wide, styled by one inline
 * stylesheet that {@link RECEIPT_CONTENT_SECURITY_POLICY} allows by its hash and nothing else.
 * Every value from the order or the configuration is HTML-escaped.
 */

/** An option chosen on a line, as the order snapshot keeps it. */
interface ReceiptOption {
  readonly groupName: string;
  readonly name: string;
  readonly priceDeltaCents: number;
}

export interface ReceiptLine {
  readonly name: string;
  /** One unit with its options. */
  readonly unitPriceCents: number;
  readonly quantity: number;
  readonly note: string | null;
  readonly options: readonly ReceiptOption[];
}

type PaymentMethod = 'cash' | 'card' | 'other';

interface ReceiptPayment {
  readonly method: PaymentMethod;
  readonly amountCents: number;
  readonly tipCents: number;
  readonly at: string;
}

interface ReceiptRefund {
  readonly amountCents: number;
  readonly reason: string;
  readonly at: string;
}

/** What a receipt shows of an order: a subset of the order view. */
export interface ReceiptOrder {
  readonly id: string;
  readonly number: number;
  readonly status: OrderStatus;
  readonly createdAt: string;
  readonly tableNumber: number | null;
  readonly cancelReason: string | null;
  readonly items: readonly ReceiptLine[];
  readonly totalCents: number;
  /** VAT per rate of the lines, lowest rate first; adds up to the total. */
  readonly vat: readonly VatShare[];
  readonly paidCents: number;
  readonly tipCents: number;
  readonly refundedCents: number;
  readonly balanceCents: number;
  readonly payments: readonly ReceiptPayment[];
  readonly refunds: readonly ReceiptRefund[];
}

export interface ReceiptVenue {
  readonly name: string;
  /** Address lines, each printed on its own line. */
  readonly address: readonly string[];
  readonly vatId: string | undefined;
  /** IANA zone the order's time is printed in (`VENUE_TIMEZONE`). */
  readonly timeZone: string;
  /** ISO 4217 code the amounts are in. */
  readonly currency: string;
}

/**
 * The receipt's stylesheet. Sized for an 80 mm roll (72 mm printable with 4 mm sides): one
 * column, amounts right-aligned and never wrapped, names and notes wrapped anywhere so that no
 * word pushes the page wider than the roll. On screen it shows as a strip of paper.
 */
const RECEIPT_CSS = `
@page { size: 80mm auto; margin: 0; }
*, *::before, *::after { box-sizing: border-box; }
html { background: #e9ecef; }
body {
  width: 80mm; margin: 0 auto; padding: 5mm 4mm 8mm; background: #fff; color: #000;
  font: 12px/1.35 "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace;
  overflow-wrap: anywhere; word-break: break-word;
}
h1 { font-size: 16px; margin: 0 0 1mm; text-align: center; }
p { margin: 0; }
.venue, .thanks { text-align: center; }
.meta { margin-top: 3mm; }
.cancelled { margin-top: 2mm; font-weight: bold; text-align: center; border: 1px solid #000; padding: 1mm; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; margin-top: 2mm; }
th, td { padding: 0.4mm 0; vertical-align: top; text-align: left; font-weight: normal; }
td.amount, th.amount { text-align: right; overflow-wrap: anywhere; width: 22mm; }
.lines { border-top: 1px dashed #000; border-bottom: 1px dashed #000; }
.lines .sub td { padding-left: 3mm; font-size: 11px; }
.total td, .total th { font-weight: bold; font-size: 14px; padding-top: 1mm; }
.vat caption, .payments caption { text-align: left; font-weight: bold; padding-top: 1mm; }
.vat th, .vat td { font-size: 11px; }
.vat td.rate, .vat th.rate { width: 12mm; }
.vat td.amount, .vat th.amount { width: 19mm; }
.state { margin-top: 3mm; text-align: center; font-weight: bold; font-size: 14px; }
.thanks { margin-top: 4mm; }
@media print { html { background: #fff; } body { margin: 0; } }
`;

const RECEIPT_CSS_HASH = createHash('sha256').update(RECEIPT_CSS, 'utf8').digest('base64');

/**
 * The receipt's own Content-Security-Policy: nothing may load or run but its stylesheet, so a
 * receipt opened on its own stays inert whatever an order's text holds.
 */
export const RECEIPT_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src 'sha256-${RECEIPT_CSS_HASH}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const METHOD_NAMES: Record<PaymentMethod, string> = {
  cash: 'Cash',
  card: 'Card',
  other: 'Other',
};

export function renderReceipt(order: ReceiptOrder, venue: ReceiptVenue): string {
  const money = moneyFormat(venue.currency);
  const when = timeFormat(venue.timeZone);
  const out: string[] = [];
  const title = `${venue.name} – order #${String(order.number)}`;

  out.push(
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${RECEIPT_CSS}</style>`,
    '</head>',
    '<body>',
    '<header class="venue">',
    `<h1>${escapeHtml(venue.name)}</h1>`,
    ...venue.address.map((line) => `<p>${escapeHtml(line)}</p>`),
    venue.vatId === undefined ? '' : `<p>VAT no. ${escapeHtml(venue.vatId)}</p>`,
    '</header>',
    '<section class="meta">',
    `<p>Order #${String(order.number)}</p>`,
    `<p>${escapeHtml(when(order.createdAt))}</p>`,
    order.tableNumber === null ? '' : `<p>Table ${String(order.tableNumber)}</p>`,
    '</section>',
  );
  if (order.status === 'cancelled') {
    const reason = order.cancelReason === null ? '' : `: ${escapeHtml(order.cancelReason)}`;
    out.push(`<p class="cancelled">CANCELLED${reason}</p>`);
  }

  out.push(
    '<table class="lines">',
    '<thead><tr><th scope="col">Item</th><th scope="col" class="amount">Amount</th></tr></thead>',
    '<tbody>',
  );
  for (const line of order.items) {
    out.push(
      '<tr class="line">',
      `<td>${String(line.quantity)} × ${escapeHtml(line.name)}</td>`,
      `<td class="amount">${escapeHtml(money(line.unitPriceCents * line.quantity))}</td>`,
      '</tr>',
    );
    for (const option of line.options) {
      const delta =
        option.priceDeltaCents === 0 ? '' : ` (${signed(money, option.priceDeltaCents)})`;
      out.push(
        `<tr class="sub option"><td colspan="2">${escapeHtml(`${option.groupName}: ${option.name}${delta}`)}</td></tr>`,
      );
    }
    if (line.quantity > 1) {
      out.push(
        `<tr class="sub each"><td colspan="2">${escapeHtml(`${money(line.unitPriceCents)} each`)}</td></tr>`,
      );
    }
    if (line.note !== null) {
      out.push(`<tr class="sub note"><td colspan="2">${escapeHtml(`“${line.note}”`)}</td></tr>`);
    }
  }
  out.push(
    '</tbody>',
    '<tfoot>',
    `<tr class="total"><th scope="row">Total</th><td class="amount">${escapeHtml(money(order.totalCents))}</td></tr>`,
    '</tfoot>',
    '</table>',
  );

  if (order.vat.length > 0) {
    out.push(
      '<table class="vat">',
      '<caption>VAT included</caption>',
      '<thead><tr><th scope="col" class="rate">Rate</th><th scope="col" class="amount">Net</th>' +
        '<th scope="col" class="amount">VAT</th><th scope="col" class="amount">Gross</th></tr></thead>',
      '<tbody>',
      ...order.vat.map(
        (share) =>
          `<tr><td class="rate">${escapeHtml(percent(share.rateBasisPoints))}</td>` +
          `<td class="amount">${escapeHtml(money(share.netCents))}</td>` +
          `<td class="amount">${escapeHtml(money(share.vatCents))}</td>` +
          `<td class="amount">${escapeHtml(money(share.netCents + share.vatCents))}</td></tr>`,
      ),
      '</tbody>',
      '</table>',
    );
  }

  if (order.payments.length > 0 || order.refunds.length > 0) {
    out.push('<table class="payments">', '<caption>Payments</caption>', '<tbody>');
    for (const payment of order.payments) {
      out.push(
        `<tr class="payment"><td>${escapeHtml(`${METHOD_NAMES[payment.method]} · ${when(payment.at)}`)}</td>` +
          `<td class="amount">${escapeHtml(money(payment.amountCents))}</td></tr>`,
      );
    }
    for (const refund of order.refunds) {
      out.push(
        `<tr class="refund"><td>${escapeHtml(`Refund · ${when(refund.at)}`)}</td>` +
          `<td class="amount">${escapeHtml(signed(money, -refund.amountCents))}</td></tr>`,
        `<tr class="sub note"><td colspan="2">${escapeHtml(`“${refund.reason}”`)}</td></tr>`,
      );
    }
    out.push(
      `<tr class="paid"><th scope="row">Paid</th><td class="amount">${escapeHtml(money(order.paidCents))}</td></tr>`,
    );
    if (order.tipCents > 0) {
      out.push(
        `<tr class="tip"><th scope="row">Tip</th><td class="amount">${escapeHtml(money(order.tipCents))}</td></tr>`,
      );
    }
    out.push('</tbody>', '</table>');
  }

  out.push(`<p class="state">${escapeHtml(stateLine(order, money))}</p>`);
  out.push('<p class="thanks">Thank you!</p>', '</body>', '</html>', '');
  return out.filter((part) => part !== '').join('\n');
}

/**
 * What is still to pay, else PAID or REFUNDED, as the order's `paymentStatus` has it: what is owed
 * comes first, whatever was refunded.
 */
function stateLine(order: ReceiptOrder, money: (cents: number) => string): string {
  if (order.status === 'cancelled') {
    return order.paidCents > 0 ? `To refund ${money(order.paidCents)}` : 'Nothing to pay';
  }
  if (order.balanceCents > 0) return `Balance due ${money(order.balanceCents)}`;
  if (order.refundedCents === 0) return 'PAID';
  return order.paidCents === 0 ? 'REFUNDED' : `PAID · ${money(order.refundedCents)} REFUNDED`;
}

function moneyFormat(currency: string): (cents: number) => string {
  const format = new Intl.NumberFormat('en-GB', { style: 'currency', currency });
  return (cents) => format.format(cents / 100);
}

/** `+€0.50`, `−€2.50`: a change of price, with its sign. */
function signed(money: (cents: number) => string, cents: number): string {
  return `${cents < 0 ? '−' : '+'}${money(Math.abs(cents))}`;
}

/** `20%`, `5.5%`. */
function percent(basisPoints: number): string {
  return `${String(basisPoints / 100)}%`;
}

function timeFormat(timeZone: string): (iso: string) => string {
  const format = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return (iso) => format.format(new Date(iso));
}

/** Text as HTML text or attribute value: `& < > " '` become references. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
