import {
  ActionIcon,
  Badge,
  Button,
  Checkbox,
  Drawer,
  Group,
  Radio,
  Stack,
  Text,
} from '@mantine/core';
import type { MenuItem, MenuOption, MenuOptionGroup } from '@taproom/web-core/api/contracts';
import { formatMoney } from '@taproom/web-core/ui/format';
import { formatDelta } from '@taproom/web-core/ui/options';
import { useState } from 'react';
import { CURRENCY } from '@/config/app-config';
import { availabilityOf } from '@/lib/availability';
import { type CartOption, MAX_QUANTITY, unitPriceWith } from '@/lib/cart-store';
import {
  type Choices,
  cartOptionsOf,
  groupProblem,
  groupRule,
  initialChoices,
  pickedIn,
} from '../utils/choices';

/** The words of one choice: its name, its price change, and "not available" when 86'd. */
function OptionLabel({ option }: { option: MenuOption }) {
  const delta = formatDelta(option.priceDeltaCents, CURRENCY);
  return (
    <Group gap={8} wrap="nowrap" component="span">
      <Text span>{option.name}</Text>
      {delta !== '' && (
        <Text span c="dimmed" size="sm" style={{ whiteSpace: 'nowrap' }}>
          {delta}
        </Text>
      )}
      {!option.available && (
        <Badge component="span" size="sm" color="gray" variant="light" style={{ flexShrink: 0 }}>
          Not available
        </Badge>
      )}
    </Group>
  );
}

function GroupChoice({
  group,
  picked,
  error,
  onChange,
}: {
  group: MenuOptionGroup;
  picked: string[];
  error: string | null;
  onChange: (ids: string[]) => void;
}) {
  const required = group.min > 0;
  const common = {
    label: group.name,
    description: groupRule(group),
    withAsterisk: required,
    error,
    'data-testid': 'option-group',
    'data-group': group.name,
  };
  if (group.max === 1) {
    return (
      <Radio.Group
        {...common}
        value={picked[0] ?? ''}
        onChange={(value) => {
          onChange(value === '' ? [] : [value]);
        }}
      >
        <Stack gap={10} mt={8}>
          {!required && <Radio value="" label="None" />}
          {group.options.map((option) => (
            <Radio
              key={option.id}
              value={option.id}
              disabled={!option.available}
              label={<OptionLabel option={option} />}
              aria-label={`${option.name}${option.available ? '' : ', not available'}`}
            />
          ))}
        </Stack>
      </Radio.Group>
    );
  }
  const full = picked.length >= group.max;
  return (
    <Checkbox.Group {...common} value={picked} onChange={onChange}>
      <Stack gap={10} mt={8}>
        {group.options.map((option) => (
          <Checkbox
            key={option.id}
            value={option.id}
            disabled={!option.available || (full && !picked.includes(option.id))}
            label={<OptionLabel option={option} />}
            aria-label={`${option.name}${option.available ? '' : ', not available'}`}
          />
        ))}
      </Stack>
    </Checkbox.Group>
  );
}

/**
 * An item's choices, as a sheet from the bottom of the phone: a radio list for a group of one,
 * checkboxes for more, required groups marked, what the bar has 86'd shown and not choosable,
 * and the price with the choices and quantity on the button that adds it.
 */
export function ItemSheet({
  item,
  onClose,
  onAdd,
  addDisabled,
}: {
  /** The item as the live menu has it now (an option 86'd while open shows at once). */
  item: MenuItem;
  onClose: () => void;
  onAdd: (item: MenuItem, options: CartOption[], quantity: number) => void;
  addDisabled: boolean;
}) {
  const [choices, setChoices] = useState<Choices>(() => initialChoices(item));
  const [quantity, setQuantity] = useState(1);
  const [tried, setTried] = useState(false);
  const options = cartOptionsOf(item, choices);
  const unit = unitPriceWith(item, options);
  const problems = new Map(
    item.optionGroups.map((group) => [
      group.id,
      groupProblem(group, pickedIn(group, choices).length),
    ]),
  );
  const firstProblem = item.optionGroups.find((group) => problems.get(group.id) !== null);
  const orderable = availabilityOf(item) === 'available';

  function add(): void {
    if (firstProblem !== undefined) {
      setTried(true);
      document
        .querySelector<HTMLElement>(`[data-group-id="${firstProblem.id}"] input:not(:disabled)`)
        ?.focus();
      return;
    }
    onAdd(item, options, quantity);
    onClose();
  }

  return (
    <Drawer
      opened
      onClose={onClose}
      position="bottom"
      size="auto"
      title={item.name}
      closeButtonProps={{ 'aria-label': 'Close without adding' }}
      styles={{
        content: { maxHeight: '92dvh', borderRadius: '16px 16px 0 0' },
        title: { fontWeight: 700, fontSize: 'var(--mantine-font-size-xl)' },
      }}
      data-testid="item-sheet"
    >
      <Stack gap="lg" pb="xs">
        {item.description !== '' && <Text c="dimmed">{item.description}</Text>}
        {item.optionGroups.map((group) => (
          <div key={group.id} data-group-id={group.id}>
            <GroupChoice
              group={group}
              picked={pickedIn(group, choices)}
              error={tried ? (problems.get(group.id) ?? null) : null}
              onChange={(ids) => {
                setChoices((current) => ({ ...current, [group.id]: ids }));
              }}
            />
          </div>
        ))}
        <Stack gap="sm" className="sheet-footer">
          <Group justify="space-between" wrap="nowrap">
            <Text fw={600} id="sheet-quantity">
              Quantity
            </Text>
            <Group gap={6} wrap="nowrap" role="group" aria-labelledby="sheet-quantity">
              <ActionIcon
                variant="light"
                size="lg"
                aria-label="One less"
                disabled={quantity <= 1}
                onClick={() => {
                  setQuantity((q) => Math.max(1, q - 1));
                }}
              >
                −
              </ActionIcon>
              <Text fw={700} w={28} ta="center" aria-live="polite" data-testid="sheet-quantity">
                {quantity}
              </Text>
              <ActionIcon
                variant="light"
                size="lg"
                aria-label="One more"
                disabled={quantity >= MAX_QUANTITY}
                onClick={() => {
                  setQuantity((q) => Math.min(MAX_QUANTITY, q + 1));
                }}
              >
                +
              </ActionIcon>
            </Group>
          </Group>
          <Button
            size="lg"
            fullWidth
            disabled={addDisabled || !orderable}
            onClick={add}
            data-testid="sheet-add"
          >
            {orderable
              ? `Add to cart · ${formatMoney(unit * quantity, CURRENCY)}`
              : 'Not available right now'}
          </Button>
        </Stack>
      </Stack>
    </Drawer>
  );
}
