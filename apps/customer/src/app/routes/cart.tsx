import { useQueryClient } from '@tanstack/react-query';
import { useSessionState } from '@taproom/web-core/react/use-session-state';
import { useMemo } from 'react';
import { useNavigate } from 'react-router';
import { CartView } from '@/features/cart/components/cart-view';
import { availabilityOf, useMenu } from '@/features/menu/api/get-menu';
import { queryKeys } from '@/lib/query-keys';
import { session } from '@/lib/session';

export default function CartRoute() {
  const { status } = useSessionState(session);
  const menu = useMenu();
  const navigate = useNavigate();
  const client = useQueryClient();
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
    <CartView
      signedIn={status === 'signedIn'}
      unavailable={unavailable}
      onNeedSignIn={() => void navigate('/sign-in?next=%2Fcart')}
      onPlaced={(order) => void navigate(`/orders/${order.id}`)}
      onStockProblem={() => void client.invalidateQueries({ queryKey: queryKeys.menu })}
    />
  );
}
