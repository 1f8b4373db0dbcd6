import { Stack, Title } from '@mantine/core';
import type { MenuItem } from '@taproom/web-core/api/contracts';
import { EmptyState, ErrorState, LoadingState } from '@taproom/web-core/ui/page-states';
import { groupByCategory, useMenu } from '../api/get-menu';
import { MenuItemCard } from './menu-item-card';

/** The menu by category, with prices, allergens and live availability. */
export function MenuList({
  quantityInCart,
  onAdd,
}: {
  quantityInCart: (menuItemId: string) => number;
  onAdd: (item: MenuItem) => void;
}) {
  const menu = useMenu();
  if (menu.isPending) return <LoadingState label="Loading the menu…" />;
  if (menu.isError) {
    return (
      <ErrorState
        title="Could not load the menu"
        message={menu.error.message}
        onRetry={() => void menu.refetch()}
      />
    );
  }
  if (menu.data.length === 0) {
    return (
      <EmptyState title="The menu is empty">
        Nothing is on offer right now. Ask at the bar.
      </EmptyState>
    );
  }
  return (
    <Stack gap="xl">
      {groupByCategory(menu.data).map(([category, items], index) => (
        <Stack component="section" key={category} gap="sm" aria-labelledby={`category-${index}`}>
          <Title order={2} size="h3" id={`category-${index}`}>
            {category}
          </Title>
          {items.map((item) => (
            <MenuItemCard
              key={item.id}
              item={item}
              inCart={quantityInCart(item.id)}
              onAdd={onAdd}
            />
          ))}
        </Stack>
      ))}
    </Stack>
  );
}
