import { QueryClient } from '@tanstack/react-query';
import type { Order } from '@taproom/web-core/api/contracts';
import { describe, expect, it } from 'vitest';
import { applyEvent } from './live-events';
import { queryKeys } from './query-keys';

const order = { id: 'o1', number: 42, status: 'ready', version: 4 } as Order;

describe('live events into the cache', () => {
  it('puts an updated order straight into its query and marks order lists stale', () => {
    const client = new QueryClient();
    client.setQueryData(queryKeys.orderList({ page: 1, limit: 20 }), {
      items: [],
      total: 0,
      totalIsEstimate: false,
    });
    applyEvent(client, { type: 'order.updated', id: '9', data: order });
    expect(client.getQueryData(queryKeys.order('o1'))).toEqual(order);
    expect(client.getQueryState(queryKeys.orderList({ page: 1, limit: 20 }))?.isInvalidated).toBe(
      true,
    );
  });

  it('marks the menu stale on menu.updated, and everything on resync', () => {
    const client = new QueryClient();
    client.setQueryData(queryKeys.menu, []);
    client.setQueryData(queryKeys.sessions, []);
    applyEvent(client, { type: 'menu.updated', id: '10', data: {} });
    expect(client.getQueryState(queryKeys.menu)?.isInvalidated).toBe(true);
    expect(client.getQueryState(queryKeys.sessions)?.isInvalidated).toBe(false);
    applyEvent(client, { type: 'resync', id: '11', data: {} });
    expect(client.getQueryState(queryKeys.sessions)?.isInvalidated).toBe(true);
  });
});
