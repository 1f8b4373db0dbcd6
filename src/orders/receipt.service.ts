import { Injectable } from '@nestjs/common';
import type { AuthContext } from '../auth/auth-context.js';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { OrderQueriesService } from './order-queries.service.js';
import type { OrderView } from './order-view.js';
import { type ReceiptOrder, type ReceiptVenue, renderReceipt } from './receipt.js';

/** The currency every amount of the API is in (the apps show the same). */
const CURRENCY = 'EUR';

/** Printable receipts: whoever may read an order may print it (a customer their own). */
@Injectable()
export class ReceiptService {
  private readonly venue: ReceiptVenue;

  constructor(
    @InjectConfig() config: AppConfig,
    private readonly queries: OrderQueriesService,
  ) {
    this.venue = {
      name: config.venueName,
      address: config.venueAddress,
      vatId: config.venueVatId,
      timeZone: config.venueTimezone,
      currency: CURRENCY,
    };
  }

  /** The receipt of order `id` as an HTML document; 404 as for reading the order. */
  async receipt(auth: AuthContext, id: string): Promise<string> {
    const order = await this.queries.get(auth, id);
    return renderReceipt(receiptOrder(order), this.venue);
  }
}

function receiptOrder(order: OrderView): ReceiptOrder {
  return {
    id: order.id,
    number: order.number,
    status: order.status,
    createdAt: order.createdAt,
    tableNumber: order.tableNumber,
    cancelReason: order.cancelReason,
    items: order.items.map((line) => ({
      name: line.name,
      unitPriceCents: line.unitPriceCents,
      quantity: line.quantity,
      note: line.note,
      options: line.options,
    })),
    totalCents: order.totalCents,
    vat: order.vat,
    paidCents: order.paidCents,
    tipCents: order.tipCents,
    refundedCents: order.refundedCents,
    balanceCents: order.balanceCents,
    payments: order.payments,
    refunds: order.refunds,
  };
}
