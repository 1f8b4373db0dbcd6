import { Alert, Badge, Button, Group, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { confirmAction } from '@taproom/web-core/ui/confirm';
import { formatMoney } from '@taproom/web-core/ui/format';
import { formatVatRate } from '@taproom/web-core/ui/options';
import { ErrorState, LoadingState } from '@taproom/web-core/ui/page-states';
import { useSessionState } from '@taproom/web-core/react/use-session-state';
import { useState } from 'react';
import { session } from '@/lib/session';
import { useMenuDraft } from '../utils/menu-draft';
import { CURRENCY } from '@/config/app-config';
import type { AdminMenuItem } from '@taproom/web-core/api/contracts';
import { toastDone, toastWithUndo } from '@/lib/toasts';
import {
  useAdminMenu,
  useArchiveMenuItem,
  useRestoreMenuItem,
  useSetAvailability,
} from '../api/menu-api';
import { MenuItemForm } from './menu-item-form';
import { RestockForm } from './restock-form';

/** Every menu item with its availability, stock and allergens; create, edit, restock, archive. */
export function MenuAdmin() {
  const menu = useAdminMenu();
  const availability = useSetAvailability();
  const archive = useArchiveMenuItem();
  const restore = useRestoreMenuItem();
  const [editing, setEditing] = useState<{ item: AdminMenuItem | null } | null>(null);
  const [restocking, setRestocking] = useState<AdminMenuItem | null>(null);
  const [showArchived, setShowArchived] = useState(false);
  const error = availability.error ?? archive.error ?? restore.error;

  const me = useSessionState(session).user;
  const [draft] = useMenuDraft(me?.id);
  const [reopened, setReopened] = useState(false);
  // A form left unsaved (a reload, a timeout, an eviction) opens again, once, as it was: state
  // adjusted while rendering, as soon as the menu it refers to has loaded.
  if (!reopened && draft !== null && menu.data !== undefined) {
    setReopened(true);
    const item =
      draft.itemId === null
        ? null
        : menu.data.find((candidate) => candidate.id === draft.itemId && !candidate.archived);
    if (item !== undefined) setEditing({ item });
  }

  const items = (menu.data ?? []).filter((item) => showArchived || !item.archived);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Menu
        </Title>
        <Group>
          <Switch
            label="Show archived"
            checked={showArchived}
            onChange={(e) => {
              setShowArchived(e.currentTarget.checked);
            }}
          />
          <Button
            onClick={() => {
              setEditing({ item: null });
            }}
          >
            New item
          </Button>
        </Group>
      </Group>
      {error !== null && (
        <Alert color="red" role="alert">
          {error.message}
        </Alert>
      )}
      {menu.isPending && <LoadingState label="Loading the menu…" />}
      {menu.isError && (
        <ErrorState message={menu.error.message} onRetry={() => void menu.refetch()} />
      )}
      {menu.isSuccess && (
        <Table.ScrollContainer minWidth={760}>
          <Table striped highlightOnHover verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Item</Table.Th>
                <Table.Th>Price</Table.Th>
                <Table.Th>Stock</Table.Th>
                <Table.Th>Allergens</Table.Th>
                <Table.Th>Available</Table.Th>
                <Table.Th>Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((item) => (
                <Table.Tr key={item.id} data-testid="menu-row">
                  <Table.Td>
                    <Text fw={600}>{item.name}</Text>
                    <Text size="xs" c="dimmed">
                      {item.category} · {item.station}
                      {item.archived ? ' · archived' : ''}
                    </Text>
                    {item.optionGroups.length > 0 && (
                      <Text size="xs" c="dimmed" data-testid="menu-row-options">
                        Options: {item.optionGroups.map((group) => group.name).join(', ')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {formatMoney(item.priceCents, CURRENCY)}
                    <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                      VAT {formatVatRate(item.vatRateBasisPoints)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {item.stock === null ? (
                      <Text size="sm" c="dimmed">
                        Unlimited
                      </Text>
                    ) : item.stock === 0 ? (
                      <Badge color="red">Sold out</Badge>
                    ) : (
                      item.stock
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {item.allergens.map((allergen) => (
                        <Badge key={allergen} size="sm" variant="light" color="grape">
                          {allergen}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Switch
                      checked={item.available}
                      disabled={item.archived}
                      aria-label={`${item.name} available`}
                      onChange={(e) => {
                        availability.mutate({ id: item.id, available: e.currentTarget.checked });
                      }}
                    />
                  </Table.Td>
                  <Table.Td>
                    {item.archived && (
                      <Button
                        size="xs"
                        variant="light"
                        aria-label={`Restore ${item.name}`}
                        loading={restore.isPending && restore.variables === item.id}
                        onClick={() => {
                          restore.mutate(item.id, {
                            onSuccess: () => {
                              toastDone(`${item.name} is back on the menu.`);
                            },
                          });
                        }}
                      >
                        Restore
                      </Button>
                    )}
                    {!item.archived && (
                      <Group gap={4} wrap="nowrap">
                        <Button
                          size="xs"
                          variant="light"
                          aria-label={`Edit ${item.name}`}
                          onClick={() => {
                            setEditing({ item });
                          }}
                        >
                          Edit
                        </Button>
                        <Button
                          size="xs"
                          variant="light"
                          aria-label={`Restock ${item.name}`}
                          onClick={() => {
                            setRestocking(item);
                          }}
                        >
                          Restock
                        </Button>
                        <Button
                          size="xs"
                          variant="subtle"
                          color="red"
                          aria-label={`Archive ${item.name}`}
                          onClick={() => {
                            void confirmAction({
                              title: `Archive ${item.name}?`,
                              message:
                                'It leaves the menu at once; past orders keep it. Archived items stay listed under "Show archived".',
                              confirmLabel: 'Archive',
                            }).then((yes) => {
                              if (!yes) return;
                              archive.mutate(item.id, {
                                onSuccess: () => {
                                  toastWithUndo(`${item.name} is archived.`, async () => {
                                    await restore.mutateAsync(item.id);
                                    return `${item.name} is back on the menu.`;
                                  });
                                },
                              });
                            });
                          }}
                        >
                          Archive
                        </Button>
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {editing !== null && (
        <MenuItemForm
          key={editing.item?.id ?? 'new'}
          // The item as it is now (live): the form shows what others change meanwhile.
          item={
            editing.item === null
              ? null
              : (menu.data?.find((candidate) => candidate.id === editing.item?.id) ?? editing.item)
          }
          opened
          onClose={() => {
            setEditing(null);
          }}
        />
      )}
      <RestockForm
        item={restocking}
        onClose={() => {
          setRestocking(null);
        }}
      />
    </Stack>
  );
}
