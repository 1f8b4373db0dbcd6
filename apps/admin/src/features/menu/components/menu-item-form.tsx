import {
  Alert,
  Button,
  Group,
  Modal,
  Select,
  Stack,
  Switch,
  TextInput,
  Text,
  Textarea,
} from '@mantine/core';
import { currencySymbol } from '@taproom/web-core/ui/options';
import { CURRENCY } from '@/config/app-config';
import { useQuery } from '@tanstack/react-query';
import { asApiError } from '@taproom/web-core/api/api-client';
import { venueQuery } from '@taproom/web-core/app/venue-query';
import { DraftRestoredNotice } from '@taproom/web-core/ui/draft-restored-notice';
import { useSessionState } from '@taproom/web-core/react/use-session-state';
import { useState, type SubmitEvent } from 'react';
import { api, session } from '@/lib/session';
import { changesOf, useMenuDraft, withChanges } from '../utils/menu-draft';
import type { AdminMenuItem } from '@taproom/web-core/api/contracts';
import { useSaveMenuItem } from '../api/menu-api';
import { OptionGroupsEditor } from './option-groups-editor';
import { EMPTY_MENU_FORM, formValuesOf, menuBodyOf, type MenuFormValues } from '../utils/menu-form';

/** Create or edit one item; the API's validation messages appear under their fields. */
export function MenuItemForm({
  item,
  opened,
  onClose,
}: {
  /** null: a new item. */
  item: AdminMenuItem | null;
  opened: boolean;
  onClose: () => void;
}) {
  const me = useSessionState(session).user;
  const [draft, setDraft, clearDraft] = useMenuDraft(me?.id);
  // A draft of this very form comes back; one of another item's form is left for that one.
  const mine = draft !== null && draft.itemId === (item?.id ?? null) ? draft : null;
  const current = item === null ? EMPTY_MENU_FORM : formValuesOf(item);
  const values = withChanges(current, mine);
  // Said once, for a draft that was there when the form opened: not for what is typed now.
  const [restored] = useState(() => mine !== null && Object.keys(mine.changes).length > 0);
  const [discarded, setDiscarded] = useState(false);
  const setValues = (change: (values: MenuFormValues) => MenuFormValues): void => {
    setDraft({ itemId: item?.id ?? null, changes: changesOf(current, change(values)) });
  };
  /** Closing on purpose throws the draft away; a reload or a sign-out keeps it. */
  const close = (): void => {
    clearDraft();
    onClose();
  };
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const save = useSaveMenuItem();
  const venue = useQuery(venueQuery(api));
  const stations = venue.data?.stations ?? [];
  // A new item starts at the venue's default station; an item at a station that has since left
  // STATIONS keeps it on offer until it is moved.
  const station = values.station === '' ? (stations[0] ?? '') : values.station;
  const stationOptions =
    stations.includes(station) || station === '' ? stations : [...stations, station];

  function field<K extends keyof MenuFormValues>(key: K, value: MenuFormValues[K]): void {
    setValues((current) => ({ ...current, [key]: value }));
  }

  async function submit(event: SubmitEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const { body, errors: local } = menuBodyOf({ ...values, station }, item);
    setErrors(local);
    setMessage(null);
    if (Object.keys(local).length > 0) return;
    if (Object.keys(body).length === 0) {
      close();
      return;
    }
    try {
      await save.mutateAsync({ id: item?.id ?? null, body });
      close();
    } catch (caught) {
      const error = asApiError(caught);
      setErrors(error?.fieldErrors('menuItem') ?? {});
      setMessage(error?.message ?? 'Couldn’t save the item.');
    }
  }

  const errorOf = (name: string): string | undefined => errors[name];
  return (
    <Modal
      opened={opened}
      onClose={close}
      title={item === null ? 'New menu item' : `Edit ${item.name}`}
      closeButtonProps={{ 'aria-label': 'Close without saving' }}
      size="xl"
    >
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Stack gap="sm">
          {restored && !discarded && (
            <DraftRestoredNotice
              onDiscard={() => {
                clearDraft();
                setDiscarded(true);
              }}
            />
          )}
          {message !== null && (
            <Alert color="red" role="alert">
              {message}
            </Alert>
          )}
          <TextInput
            label="Name"
            required
            data-autofocus
            value={values.name}
            error={errorOf('name')}
            onChange={(e) => {
              field('name', e.currentTarget.value);
            }}
          />
          <Textarea
            label="Description"
            autosize
            minRows={2}
            value={values.description}
            error={errorOf('description')}
            onChange={(e) => {
              field('description', e.currentTarget.value);
            }}
          />
          <Group grow align="flex-start">
            <TextInput
              label="Category"
              required
              value={values.category}
              error={errorOf('category')}
              onChange={(e) => {
                field('category', e.currentTarget.value);
              }}
            />
            <TextInput
              label={`Price (${currencySymbol(CURRENCY)})`}
              required
              inputMode="decimal"
              value={values.price}
              error={errorOf('priceCents')}
              onChange={(e) => {
                field('price', e.currentTarget.value);
              }}
            />
          </Group>
          <Group grow align="flex-start">
            <TextInput
              label="Stock"
              description="Empty for unlimited. To add deliveries use Restock."
              inputMode="numeric"
              value={values.stock}
              error={errorOf('stock')}
              onChange={(e) => {
                field('stock', e.currentTarget.value);
              }}
            />
            <TextInput
              label="Allergens"
              description="Comma-separated, e.g. gluten, nuts"
              value={values.allergens}
              error={errorOf('allergens')}
              onChange={(e) => {
                field('allergens', e.currentTarget.value);
              }}
            />
          </Group>
          <Group grow align="flex-start">
            <Select
              label="Station"
              description="Where it is prepared: the bar board can show one station."
              data={stationOptions}
              allowDeselect={false}
              disabled={stationOptions.length === 0}
              value={station === '' ? null : station}
              error={errorOf('station')}
              onChange={(value) => {
                if (value !== null) field('station', value);
              }}
            />
            <TextInput
              label="VAT rate (%)"
              description="Included in the price, e.g. 20 (0 for none)."
              inputMode="decimal"
              rightSection={
                <Text size="sm" c="dimmed">
                  %
                </Text>
              }
              value={values.vatRate}
              error={errorOf('vatRateBasisPoints')}
              onChange={(e) => {
                field('vatRate', e.currentTarget.value);
              }}
            />
          </Group>
          <Switch
            label="Available"
            checked={values.available}
            onChange={(e) => {
              field('available', e.currentTarget.checked);
            }}
          />
          <OptionGroupsEditor
            groups={values.optionGroups}
            errorOf={errorOf}
            onChange={(groups) => {
              field('optionGroups', groups);
            }}
          />
          <Group justify="flex-end" className="form-footer">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
