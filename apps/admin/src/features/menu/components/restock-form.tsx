import { Alert, Button, Group, Modal, NumberInput, Stack, Text } from '@mantine/core';
import { asApiError } from '@taproom/web-core/api/api-client';
import { fieldMessage } from '@taproom/web-core/api/field-words';
import { useState, type SubmitEvent } from 'react';
import type { AdminMenuItem } from '@taproom/web-core/api/contracts';
import { useSaveMenuItem } from '../api/menu-api';

/** Adds a delivery to the stock as it is now (concurrent orders are never put back). */
export function RestockForm({
  item,
  onClose,
}: {
  item: AdminMenuItem | null;
  onClose: () => void;
}) {
  const [delta, setDelta] = useState<number | string>('');
  const [error, setError] = useState<string | null>(null);
  const save = useSaveMenuItem();

  function close(): void {
    setDelta('');
    setError(null);
    onClose();
  }

  async function submit(event: SubmitEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (item === null) return;
    const stockDelta = typeof delta === 'number' ? delta : Number.NaN;
    if (!Number.isInteger(stockDelta) || stockDelta === 0) {
      setError(fieldMessage('menuItem', 'stockDelta', 'zero'));
      return;
    }
    try {
      await save.mutateAsync({ id: item.id, body: { stockDelta } });
      close();
    } catch (caught) {
      const apiError = asApiError(caught);
      setError(
        apiError?.fieldErrors('menuItem').stockDelta ?? apiError?.message ?? 'Couldn’t restock.',
      );
    }
  }

  return (
    <Modal
      opened={item !== null}
      onClose={close}
      title={item === null ? 'Restock' : `Restock ${item.name}`}
      closeButtonProps={{ 'aria-label': 'Close without restocking' }}
    >
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Stack gap="sm">
          <Text size="sm">
            Now in stock: <b>{item?.stock ?? 'unlimited'}</b>
          </Text>
          {error !== null && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <NumberInput
            label="Units to add"
            allowDecimal={false}
            data-autofocus
            value={delta}
            onChange={setDelta}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              Restock
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
