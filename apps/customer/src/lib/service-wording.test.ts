import { describe, expect, it } from 'vitest';
import { ORDER_STATUSES } from '@taproom/web-core/api/contracts';
import { statusHint, stepLabel, tableFieldHint } from './service-wording';

describe('service wording', () => {
  it('promises the table when the venue serves tables and the order has one', () => {
    const handover = { serviceMode: 'table', tableNumber: 4, number: 42 } as const;
    expect(statusHint('ready', handover)).toBe("Your order is ready. We'll bring it to table 4.");
    expect(statusHint('preparing', handover)).toContain('table 4');
  });

  it('sends the guest to the bar with the number at a counter venue, table or not', () => {
    for (const tableNumber of [4, null]) {
      const hint = statusHint('ready', { serviceMode: 'counter', tableNumber, number: 42 });
      expect(hint).toBe('Your order is ready. Collect it at the bar with number 42.');
    }
  });

  it('sends an order without a table to the bar even at a table-service venue', () => {
    const hint = statusHint('ready', { serviceMode: 'table', tableNumber: null, number: 7 });
    expect(hint).toContain('Collect it at the bar with number 7');
    expect(hint).not.toContain('table');
  });

  it('names the last steps served at the table, collected at the bar', () => {
    const atTable = { serviceMode: 'table', tableNumber: 4, number: 42 } as const;
    expect(stepLabel('ready', atTable)).toBe('Ready');
    expect(stepLabel('completed', atTable)).toBe('Served');
    expect(stepLabel('preparing', atTable)).toBe('Being prepared');
    const atBar = { serviceMode: 'counter', tableNumber: 4, number: 42 } as const;
    expect(stepLabel('ready', atBar)).toBe('Ready to collect');
    expect(stepLabel('completed', atBar)).toBe('Collected');
  });

  it('has words for every status in both modes', () => {
    for (const serviceMode of ['table', 'counter'] as const) {
      for (const status of ORDER_STATUSES) {
        expect(statusHint(status, { serviceMode, tableNumber: 3, number: 1 })).toMatch(/\w/);
      }
    }
    expect(tableFieldHint('table')).toContain("We'll bring");
    expect(tableFieldHint('counter')).toContain('collect');
  });
});
