import { describe, expect, it } from '@jest/globals';
import { paymentFigures } from './payment-figures.js';

const pay = (amountCents: number, tipCents = 0) => ({ amountCents, tipCents });
const back = (amountCents: number) => ({ amountCents });

describe('paymentFigures', () => {
  it('is unpaid with nothing paid, the whole total left', () => {
    expect(
      paymentFigures({ totalCents: 900, status: 'pending', payments: [], refunds: [] }),
    ).toEqual({
      paymentStatus: 'unpaid',
      paidCents: 0,
      tipCents: 0,
      refundedCents: 0,
      balanceCents: 900,
    });
  });

  it('is partially paid, then paid; tips never count towards the total', () => {
    expect(
      paymentFigures({ totalCents: 900, status: 'ready', payments: [pay(400, 500)], refunds: [] }),
    ).toEqual({
      paymentStatus: 'partially_paid',
      paidCents: 400,
      tipCents: 500,
      refundedCents: 0,
      balanceCents: 500,
    });
    expect(
      paymentFigures({
        totalCents: 900,
        status: 'ready',
        payments: [pay(400, 500), pay(500, 20)],
        refunds: [],
      }),
    ).toMatchObject({ paymentStatus: 'paid', paidCents: 900, tipCents: 520, balanceCents: 0 });
  });

  it('takes refunds off what is paid, and never asks for refunded money again', () => {
    const payments = [pay(900, 100)];
    // A comped part of a paid order: given back, and not owed again.
    expect(
      paymentFigures({ totalCents: 900, status: 'completed', payments, refunds: [back(300)] }),
    ).toEqual({
      paymentStatus: 'refunded',
      paidCents: 600,
      tipCents: 100,
      refundedCents: 300,
      balanceCents: 0,
    });
    expect(
      paymentFigures({
        totalCents: 900,
        status: 'completed',
        payments,
        refunds: [back(300), back(600)],
      }),
    ).toMatchObject({ paymentStatus: 'refunded', paidCents: 0, balanceCents: 0 });
    // A refund of a partly paid order leaves what was never paid to pay.
    expect(
      paymentFigures({
        totalCents: 900,
        status: 'ready',
        payments: [pay(400)],
        refunds: [back(400)],
      }),
    ).toMatchObject({ paymentStatus: 'partially_paid', paidCents: 0, balanceCents: 500 });
  });

  it('leaves nothing to pay on a cancelled order, paid or not', () => {
    expect(
      paymentFigures({ totalCents: 900, status: 'cancelled', payments: [], refunds: [] }),
    ).toMatchObject({ paymentStatus: 'unpaid', balanceCents: 0 });
    expect(
      paymentFigures({ totalCents: 900, status: 'cancelled', payments: [pay(900)], refunds: [] }),
    ).toMatchObject({ paymentStatus: 'paid', paidCents: 900, balanceCents: 0 });
    // Part paid, given back, then cancelled: nothing is owed, and nothing kept.
    expect(
      paymentFigures({
        totalCents: 900,
        status: 'cancelled',
        payments: [pay(400)],
        refunds: [back(400)],
      }),
    ).toMatchObject({ paymentStatus: 'refunded', paidCents: 0, balanceCents: 0 });
  });

  it('counts an order of 0 as paid', () => {
    expect(
      paymentFigures({ totalCents: 0, status: 'pending', payments: [], refunds: [] }),
    ).toMatchObject({ paymentStatus: 'paid', balanceCents: 0 });
  });
});
