import { Title } from '@mantine/core';
import { MenuList } from '@/features/menu/components/menu-list';
import { useCart } from '@/lib/cart-store';

export function MenuRoute() {
  const lines = useCart((cart) => cart.lines);
  const add = useCart((cart) => cart.add);
  return (
    <>
      <Title order={1} size="h2" mb="md">
        Menu
      </Title>
      <MenuList
        quantityInCart={(id) => lines.find((line) => line.menuItemId === id)?.quantity ?? 0}
        onAdd={(item) => {
          add(item);
        }}
      />
    </>
  );
}
