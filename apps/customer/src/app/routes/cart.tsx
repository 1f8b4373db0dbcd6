import { Alert } from '@mantine/core';
import { useSessionState } from '@taproom/web-core/react/use-session-state';
import { useMemo } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { CartView } from '@/features/cart/components/cart-view';
import { useMenu } from '@/features/menu/api/get-menu';
import { availabilityOf } from '@/lib/availability';
import { useCart } from '@/lib/cart-store';
import { session } from '@/lib/session';
import type { ReorderNotice } from '../use-reorder';

export default function CartRoute() {
  const { status, user } = useSessionState(session);
  const menu = useMenu();
  const lines = useCart((cart) => cart.lines);
  const navigate = useNavigate();
  const reorder = (useLocation().state as { reorder?: ReorderNotice } | null)?.reorder;
  const unavailable = useMemo(
    () =>
      new Set(
        (menu.data ?? [])
          .filter((item) => availabilityOf(item) !== 'available')
          .map((item) => item.id),
      ),
    [menu.data],
  );
  const unavailableOptions = useMemo(() => {
    const ids = new Set<string>();
    const offered = new Set<string>();
    for (const item of menu.data ?? []) {
      for (const group of item.optionGroups) {
        for (const option of group.options) {
          offered.add(option.id);
          if (!option.available) ids.add(option.id);
        }
      }
    }
    // A choice no longer offered at all (removed by the admin) can't be had either.
    if (menu.data !== undefined) {
      for (const line of lines) {
        for (const option of line.options) if (!offered.has(option.id)) ids.add(option.id);
      }
    }
    return ids;
  }, [menu.data, lines]);
  return (
    <>
      {reorder !== undefined && reorder.skipped.length > 0 && (
        <Alert color="yellow" role="status" mb="md" title="Not everything could be added">
          No longer on the menu or not available now: {reorder.skipped.join(', ')}.
        </Alert>
      )}
      <CartView
        userId={status === 'signedIn' ? (user?.id ?? null) : null}
        unavailable={unavailable}
        unavailableOptions={unavailableOptions}
        guestTable={status === 'signedIn' && user?.role === 'guest' ? user.tableNumber : null}
        onNeedSignIn={() => void navigate('/sign-in?next=%2Fcart')}
      />
    </>
  );
}
