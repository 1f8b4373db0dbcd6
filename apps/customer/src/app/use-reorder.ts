import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Order } from '@taproom/web-core/api/contracts';
import { useNavigate } from 'react-router';
import { menuQuery } from '@/features/menu/api/get-menu';
import { reorderLines, useCart } from '@/lib/cart-store';

/** What the cart page says after "Order again": the items that could not be added. */
export interface ReorderNotice {
  skipped: string[];
}

/**
 * "Order again": puts a past order's items, quantities and notes in the cart at today's menu
 * and prices, leaves out what is no longer on the menu or not available, and opens the cart
 * saying what was left out. Not while an order is waiting to be sent (the cart is frozen).
 */
export function useReorder() {
  const client = useQueryClient();
  const navigate = useNavigate();
  const locked = useCart((cart) => cart.pending !== null);
  const mutation = useMutation({
    networkMode: 'always',
    mutationFn: async (order: Order) => {
      const menu = await client.query({ ...menuQuery, staleTime: 10_000 });
      const { lines, skipped } = reorderLines(order, menu);
      useCart.getState().addLines(lines);
      return { skipped } satisfies ReorderNotice;
    },
    onSuccess: (notice) => {
      void navigate('/cart', { state: { reorder: notice } });
    },
  });
  return {
    reorder: (order: Order) => {
      mutation.mutate(order);
    },
    /** Not while an order waits to be sent, nor twice at once. */
    disabled: locked || mutation.isPending,
    error: mutation.error?.message ?? null,
  };
}
