import { Anchor, Badge, Group, VisuallyHidden } from '@mantine/core';
import { useLiveStream } from '@taproom/web-core/react/use-live-stream';
import { useSessionState } from '@taproom/web-core/react/use-session-state';
import { ConnectionBadge } from '@taproom/web-core/ui/connection-badge';
import { IdleWarningDialog } from '@taproom/web-core/app/idle-warning-dialog';
import { SessionNotice } from '@taproom/web-core/app/session-notice';
import type { ApiError } from '@taproom/web-core/api/api-error';
import type { Order } from '@taproom/web-core/api/contracts';
import {
  type CSSProperties,
  type RefObject,
  useCallback,
  useEffect,
  useRef,
  useState,
} from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { NavIcon } from '@/components/nav-icon';
import { useOrderSender } from '@/features/cart/hooks/use-order-sender';
import { cartCount, useCart } from '@/lib/cart-store';
import { liveStream } from '@/lib/live-events';
import { queryClient } from '@/lib/query-client';
import { queryKeys } from '@/lib/query-keys';
import { session } from '@/lib/session';

const TABS = [
  { to: '/', label: 'Menu', icon: 'menu', end: true },
  { to: '/cart', label: 'Cart', icon: 'cart', end: false },
  { to: '/orders', label: 'Orders', icon: 'orders', end: false },
  { to: '/account', label: 'Account', icon: 'account', end: false },
] as const;

/** The header's height, for what sticks below it (the menu's category bar). */
function useHeight<T extends HTMLElement>(): [RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [height, setHeight] = useState(0);
  useEffect(() => {
    const element = ref.current;
    if (element === null) return undefined;
    const observer = new ResizeObserver(() => {
      setHeight(element.offsetHeight);
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
    };
  }, []);
  return [ref, height];
}

/**
 * Header, the signed-out notice, the page, and the bottom tab bar; and, on every page, the order
 * that is waiting to be sent (opened when it is placed).
 */
export function AppLayout() {
  const state = useSessionState(session);
  const signedIn = state.status === 'signedIn';
  const connection = useLiveStream(liveStream, signedIn);
  const count = useCart((cart) => cartCount(cart.lines));
  const location = useLocation();
  const main = useRef<HTMLElement>(null);
  const [header, headerHeight] = useHeight<HTMLElement>();
  const navigate = useNavigate();

  const onPlaced = useCallback(
    (order: Order) => {
      queryClient.setQueryData(queryKeys.order(order.id), order);
      void queryClient.invalidateQueries({ queryKey: [...queryKeys.orders, 'list'] });
      void navigate(`/orders/${order.id}`);
    },
    [navigate],
  );
  const onRefused = useCallback((error: ApiError) => {
    if (error.code === 'ITEM_UNAVAILABLE' || error.code === 'OUT_OF_STOCK') {
      void queryClient.invalidateQueries({ queryKey: queryKeys.menu });
    }
  }, []);
  useOrderSender({ userId: signedIn ? (state.user?.id ?? null) : null, onPlaced, onRefused });

  // Someone else's data must not outlive their session in this tab.
  useEffect(() => {
    if (state.status === 'signedOut') {
      queryClient.removeQueries({ queryKey: ['orders'] });
      queryClient.removeQueries({ queryKey: ['sessions'] });
    }
  }, [state.status]);

  // A table's guest orders for that table only: the cart follows the guest's table.
  const guestTable = state.user?.role === 'guest' ? state.user.tableNumber : null;
  const cartTable = useCart((cart) => cart.tableNumber);
  useEffect(() => {
    if (guestTable !== null && cartTable !== guestTable) {
      useCart.getState().setTableNumber(guestTable);
    }
  }, [guestTable, cartTable]);

  // Move focus to the new page for keyboard and screen-reader users.
  useEffect(() => {
    main.current?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, [location.pathname]);

  return (
    <>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="shell-header" ref={header}>
        <Group justify="space-between" wrap="nowrap">
          <Anchor component={Link} to="/" underline="never" c="orange.9" fw={800} fz="xl">
            Taproom
          </Anchor>
          <Group gap="xs" wrap="nowrap">
            {state.user?.role === 'guest' && state.user.tableNumber !== null && (
              <Badge variant="light" color="orange" size="lg" data-testid="guest-table">
                Table {state.user.tableNumber}
              </Badge>
            )}
            {signedIn && <ConnectionBadge state={connection} />}
            {state.status === 'signedOut' && (
              <Anchor component={Link} to="/sign-in" fw={600}>
                Sign in
              </Anchor>
            )}
          </Group>
        </Group>
      </header>
      <main
        id="main"
        className="shell-main"
        ref={main}
        tabIndex={-1}
        style={
          { outline: 'none', '--shell-header-height': `${String(headerHeight)}px` } as CSSProperties
        }
      >
        <SessionNotice session={session} />
        <IdleWarningDialog session={session} />
        <Outlet />
      </main>
      <nav className="shell-nav" aria-label="Main">
        {TABS.map((tab) => (
          <NavLink key={tab.to} to={tab.to} end={tab.end}>
            <NavIcon name={tab.icon} />
            <span>
              {tab.label}
              {tab.to === '/cart' && count > 0 && (
                <span data-testid="cart-count">
                  {' '}
                  ({count}
                  <VisuallyHidden> items</VisuallyHidden>)
                </span>
              )}
            </span>
          </NavLink>
        ))}
      </nav>
    </>
  );
}
