import { Badge, Button, Group, Paper, Stack, Text } from '@mantine/core';
import type { MenuItem } from '@taproom/web-core/api/contracts';
import { formatMoney } from '@taproom/web-core/ui/format';
import { CURRENCY } from '@/config/app-config';
import { availabilityOf } from '@/lib/availability';

const UNAVAILABLE_LABEL = { sold_out: 'Sold out', unavailable: 'Not available' } as const;

export function MenuItemCard({
  item,
  inCart,
  onAdd,
  addDisabled,
}: {
  item: MenuItem;
  inCart: number;
  /** Adds an item without choices; opens the item's sheet for one with them. */
  onAdd: (item: MenuItem) => void;
  addDisabled: boolean;
}) {
  const availability = availabilityOf(item);
  const headingId = `menu-item-${item.id}`;
  const hasChoices = item.optionGroups.length > 0;
  return (
    <Paper
      component="article"
      withBorder
      p="md"
      aria-labelledby={headingId}
      data-testid="menu-item"
      data-availability={availability}
      opacity={availability === 'available' ? 1 : 0.75}
    >
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
        <Stack gap={4} style={{ minWidth: 0 }}>
          <Text fw={600} component="h3" id={headingId} m={0} size="lg">
            {item.name}
          </Text>
          {item.description !== '' && (
            <Text size="sm" c="dimmed">
              {item.description}
            </Text>
          )}
          {item.allergens.length > 0 && (
            <Group gap={4} role="group" aria-label={`Allergens: ${item.allergens.join(', ')}`}>
              {item.allergens.map((allergen) => (
                <Badge key={allergen} size="sm" variant="outline" color="gray" aria-hidden>
                  {allergen}
                </Badge>
              ))}
            </Group>
          )}
          {hasChoices && (
            <Text size="xs" c="dimmed" data-testid="item-choice-groups">
              Choose: {item.optionGroups.map((group) => group.name).join(', ')}
            </Text>
          )}
          {item.stock !== null &&
            item.stock > 0 &&
            item.stock <= 5 &&
            availability === 'available' && (
              <Text size="xs" c="orange.9">
                Only {item.stock} left
              </Text>
            )}
        </Stack>
        <Stack gap="xs" align="flex-end" style={{ flexShrink: 0 }}>
          <Text fw={700} size="lg">
            {formatMoney(item.priceCents, CURRENCY)}
          </Text>
          {availability === 'available' ? (
            <Button
              size="sm"
              disabled={addDisabled}
              onClick={() => {
                onAdd(item);
              }}
              aria-haspopup={hasChoices ? 'dialog' : undefined}
              aria-label={`Add ${item.name}${hasChoices ? ': choose options' : ' to cart'}${inCart > 0 ? ` (${String(inCart)} in cart)` : ''}`}
            >
              {inCart > 0 ? `Add (${inCart})` : 'Add'}
            </Button>
          ) : (
            <Badge color={availability === 'sold_out' ? 'red' : 'gray'} variant="light" size="lg">
              {UNAVAILABLE_LABEL[availability]}
            </Badge>
          )}
        </Stack>
      </Group>
    </Paper>
  );
}
