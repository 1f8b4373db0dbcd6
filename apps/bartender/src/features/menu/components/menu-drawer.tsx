import { Alert, Badge, Drawer, Group, Stack, Switch, Text, TextInput } from '@mantine/core';
import { ErrorState, LoadingState } from '@taproom/web-core/ui/page-states';
import { useMemo, useState } from 'react';
import type { MenuItem } from '@taproom/web-core/api/contracts';
import { useMenu, useSetAvailability, useSetOptionAvailability } from '../api/menu-api';

/** An item's choices, each with its own switch: 86 the halves and keep the pints on. */
function OptionSwitches({
  item,
  busyOptionId,
  onChange,
}: {
  item: MenuItem;
  busyOptionId: string | null;
  onChange: (optionId: string, available: boolean) => void;
}) {
  return (
    <Stack gap={2} pl="md" pb={6} data-testid="menu-drawer-options">
      {item.optionGroups.map((group) => (
        <div key={group.id} role="group" aria-label={`${item.name}: ${group.name}`}>
          <Text size="xs" fw={700} c="dimmed" tt="uppercase">
            {group.name}
          </Text>
          {group.options.map((option) => (
            <Group
              key={option.id}
              justify="space-between"
              wrap="nowrap"
              py={4}
              data-testid="menu-drawer-option"
              data-option={option.name}
            >
              <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
                <Text td={option.available ? undefined : 'line-through'} truncate>
                  {option.name}
                </Text>
                {!option.available && (
                  <Badge size="xs" color="red">
                    86
                  </Badge>
                )}
              </Group>
              <Switch
                size="lg"
                checked={option.available}
                disabled={busyOptionId === option.id}
                onLabel="ON"
                offLabel="86"
                aria-label={`${item.name}, ${group.name}: ${option.name} available`}
                onChange={(event) => {
                  onChange(option.id, event.currentTarget.checked);
                }}
              />
            </Group>
          ))}
        </div>
      ))}
    </Stack>
  );
}

/**
 * The menu at the bar: one switch per item to take it off ("86") and back, and one per choice
 * of an item that has them (out of elderflower tonic: the G&T stays on with the others).
 */
export function MenuDrawer({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const menu = useMenu();
  const setAvailability = useSetAvailability();
  const setOptionAvailability = useSetOptionAvailability();
  const [filter, setFilter] = useState('');
  const items = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    return (menu.data ?? []).filter(
      (item) =>
        needle === '' ||
        item.name.toLowerCase().includes(needle) ||
        item.category.toLowerCase().includes(needle) ||
        item.optionGroups.some((group) =>
          group.options.some((option) => option.name.toLowerCase().includes(needle)),
        ),
    );
  }, [menu.data, filter]);

  return (
    <Drawer
      opened={opened}
      onClose={onClose}
      position="right"
      size="md"
      title="Menu: 86 an item or option"
      closeButtonProps={{ 'aria-label': 'Close the menu' }}
    >
      <Stack gap="sm">
        <TextInput
          label="Find an item"
          placeholder="Name, category or option"
          value={filter}
          onChange={(event) => {
            setFilter(event.currentTarget.value);
          }}
        />
        {setAvailability.isError && (
          <Alert color="red" role="alert">
            {setAvailability.error.message}
          </Alert>
        )}
        {setOptionAvailability.isError && (
          <Alert color="red" role="alert">
            {setOptionAvailability.error.message}
          </Alert>
        )}
        {menu.isPending && <LoadingState label="Loading the menu…" />}
        {menu.isError && (
          <ErrorState message={menu.error.message} onRetry={() => void menu.refetch()} />
        )}
        <Stack component="ul" gap={4} p={0} m={0} style={{ listStyle: 'none' }}>
          {items.map((item) => {
            const busy = setAvailability.isPending && setAvailability.variables.id === item.id;
            const busyOption =
              setOptionAvailability.isPending && setOptionAvailability.variables.itemId === item.id
                ? setOptionAvailability.variables.optionId
                : null;
            return (
              <li
                key={item.id}
                data-testid="menu-drawer-item"
                style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}
              >
                <Group justify="space-between" wrap="nowrap" py={6}>
                  <div style={{ minWidth: 0 }}>
                    <Text fw={600} td={item.available ? undefined : 'line-through'}>
                      {item.name}
                    </Text>
                    <Group gap={4}>
                      <Text size="xs" c="dimmed">
                        {item.category}
                      </Text>
                      {item.stock === 0 && (
                        <Badge size="xs" color="gray">
                          Sold out
                        </Badge>
                      )}
                      {!item.available && (
                        <Badge size="xs" color="red">
                          86
                        </Badge>
                      )}
                    </Group>
                  </div>
                  <Switch
                    size="lg"
                    checked={item.available}
                    disabled={busy}
                    onLabel="ON"
                    offLabel="86"
                    aria-label={`${item.name} available`}
                    onChange={(event) => {
                      setAvailability.mutate({
                        id: item.id,
                        available: event.currentTarget.checked,
                      });
                    }}
                  />
                </Group>
                {item.optionGroups.length > 0 && (
                  <OptionSwitches
                    item={item}
                    busyOptionId={busyOption}
                    onChange={(optionId, available) => {
                      setOptionAvailability.mutate({ itemId: item.id, optionId, available });
                    }}
                  />
                )}
              </li>
            );
          })}
        </Stack>
      </Stack>
    </Drawer>
  );
}
