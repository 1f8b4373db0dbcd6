import { Alert } from '@mantine/core';
import { useSessionState } from '@taproom/web-core/react/use-session-state';
import { useMemo } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { CartView } from '@/features/cart/components/cart-view';
import { useMenu } from '@/features/menu/api/get-menu';
import { availabilityOf } from '@/lib/availability';
import { session } from '@/lib/session';
import type { ReorderNotice } from '../use-reorder';

export default function CartRoute() {
  const { status, user } = useSessionState(session);
  const menu = useMenu();
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
        guestTable={status === 'signedIn' && user?.role === 'guest' ? user.tableNumber : null}
        onNeedSignIn={() => void navigate('/sign-in?next=%2Fcart')}
      />
    </>
  );
}
