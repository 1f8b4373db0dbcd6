import { describe, expect, it } from '@jest/globals';
import type { OrderView } from '../orders/order-view.js';
import { pushWorkFor } from './push-message.js';

const customer = { id: 'c1', name: 'Alice' };
const bartender = { id: 'b1', name: 'Bo', role: 'bartender' as const };

function order(status: OrderView['status'], moves: [OrderView['status'], string][]): OrderView {
  return {
    id: 'o1',
    number: 42,
    customer,
    status,
    items: [],
    totalCents: 500,
    vat: [],
    tableNumber: null,
    note: null,
    assignee: null,
    version: moves.length,
    createdAt: '2025-01-01T20:00:00.000Z',
    updatedAt: '2025-01-01T20:00:00.000Z',
    history: moves.map(([to, by]) => ({
      status: to,
      at: '2025-01-01T20:00:00.000Z',
      by: by === customer.id ? { ...customer, role: 'customer' as const } : bartender,
    })),
    cancelReason: status === 'cancelled' ? 'Out of stock' : null,
    paymentStatus: 'unpaid',
    paidCents: 0,
    tipCents: 0,
    refundedCents: 0,
    balanceCents: status === 'cancelled' ? 0 : 500,
    payments: [],
    refunds: [],
  };
}

describe('pushWorkFor', () => {
  it('tells the owner that the order is ready, keyed by the move', () => {
    const work = pushWorkFor(
      order('ready', [
        ['pending', 'c1'],
        ['accepted', 'b1'],
        ['preparing', 'b1'],
        ['ready', 'b1'],
      ]),
      'counter',
    );
    expect(work).toEqual({
      key: 'order:o1:4',
      message: {
        title: 'Your order #42 is ready',
        body: 'Collect it at the bar with number 42.',
        url: '/orders/o1',
        orderId: 'o1',
        status: 'ready',
        number: 42,
      },
    });
  });

  it('tells the owner why staff cancelled, but not when they cancelled it themselves', () => {
    const byStaff = pushWorkFor(
      order('cancelled', [
        ['pending', 'c1'],
        ['cancelled', 'b1'],
      ]),
      'counter',
    );
    expect(byStaff?.message).toMatchObject({
      status: 'cancelled',
      body: 'Your order #42 was cancelled: Out of stock',
    });
    expect(
      pushWorkFor(
        order('cancelled', [
          ['pending', 'c1'],
          ['cancelled', 'c1'],
        ]),
        'counter',
      ),
    ).toBeUndefined();
  });

  it('says where a ready order goes as the venue serves: to the table, or at the bar', () => {
    const moves: [OrderView['status'], string][] = [
      ['pending', 'c1'],
      ['ready', 'b1'],
    ];
    const atTable = Object.assign(order('ready', moves), { tableNumber: 4 });
    expect(pushWorkFor(atTable, 'table')?.message.body).toBe("We'll bring it to table 4.");
    expect(pushWorkFor(atTable, 'counter')?.message.body).toBe(
      'Collect it at the bar with number 42.',
    );
    expect(pushWorkFor(order('ready', moves), 'table')?.message.body).toBe(
      'Collect it at the bar with number 42.',
    );
  });

  it('says nothing about other moves', () => {
    for (const status of ['pending', 'accepted', 'preparing', 'completed'] as const) {
      expect(
        pushWorkFor(
          order(status, [
            ['pending', 'c1'],
            [status, 'b1'],
          ]),
          'counter',
        ),
      ).toBeUndefined();
    }
  });
});
