import { Alert, Anchor, Title } from '@mantine/core';
import { Link, useLocation } from 'react-router';
import { MenuList } from '@/features/menu/components/menu-list';
import { cartCount, useCart } from '@/lib/cart-store';

export function MenuRoute() {
  const lines = useCart((cart) => cart.lines);
  const add = useCart((cart) => cart.add);
  const sending = useCart((cart) => cart.pending !== null);
  // Set by a table's QR link (`/t/<token>`) on the way here.
  const seatedAt = (useLocation().state as { seatedAt?: number } | null)?.seatedAt;
  return (
    <>
      <Title order={1} size="h2" mb="md">
        Menu
      </Title>
      {seatedAt !== undefined && (
        <Alert color="green" mb="md" role="status" data-testid="seated-notice">
          You&apos;re at table {seatedAt}. Your orders go to this table.
        </Alert>
      )}
      {sending && (
        <Alert color="yellow" role="status" mb="md">
          Your order is on its way to the bar. To change it, cancel sending it in the{' '}
          <Anchor component={Link} to="/cart">
            cart
          </Anchor>
          .
        </Alert>
      )}
      <MenuList
        quantityInCart={(id) => cartCount(lines.filter((line) => line.menuItemId === id))}
        onAdd={(item, options, quantity) => {
          add(item, options, quantity);
        }}
        addDisabled={sending}
      />
    </>
  );
}
