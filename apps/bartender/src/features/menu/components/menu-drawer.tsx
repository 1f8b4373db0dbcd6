import { Alert, Badge, Drawer, Group, Stack, Switch, Text, TextInput } from '@mantine/core';
import { ErrorState, LoadingState } from '@taproom/web-core/ui/page-states';
import { useMemo, useState } from 'react';
import { useMenu, useSetAvailability } from '../api/menu-api';

/** The menu at the bar: one switch per item to take it off ("86") and back. */
export function MenuDrawer({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const menu = useMenu();
  const setAvailability = useSetAvailability();
  const [filter, setFilter] = useState('');
  const items = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    return (menu.data ?? []).filter(
      (item) =>
        needle === '' ||
        item.name.toLowerCase().includes(needle) ||
        item.category.toLowerCase().includes(needle),
    );
  }, [menu.data, filter]);

  return (
    <Drawer
      opened={opened}
      onClose={onClose}
      position="right"
      size="md"
      title="Menu: 86 an item"
      closeButtonProps={{ 'aria-label': 'Close the menu' }}
    >
      <Stack gap="sm">
        <TextInput
          label="Find an item"
          placeholder="Name or category"
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
        {menu.isPending && <LoadingState label="Loading the menu…" />}
        {menu.isError && (
          <ErrorState message={menu.error.message} onRetry={() => void menu.refetch()} />
        )}
        <Stack component="ul" gap={4} p={0} m={0} style={{ listStyle: 'none' }}>
          {items.map((item) => {
            const busy = setAvailability.isPending && setAvailability.variables.id === item.id;
            return (
              <Group
                component="li"
                key={item.id}
                justify="space-between"
                wrap="nowrap"
                py={6}
                data-testid="menu-drawer-item"
                style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}
              >
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
                    setAvailability.mutate({ id: item.id, available: event.currentTarget.checked });
                  }}
                />
              </Group>
            );
          })}
        </Stack>
      </Stack>
    </Drawer>
  );
}
