import { Alert, Button, Group, Modal, Stack, Textarea } from '@mantine/core';
import { asApiError } from '@taproom/web-core/api/api-client';
import type { Order } from '@taproom/web-core/api/contracts';
import { useState, type SubmitEvent } from 'react';

const MAX_REASON = 280;

/** Asks why before cancelling: the customer sees the reason. */
export function CancelDialog({
  order,
  onCancel,
  onClose,
}: {
  order: Order | null;
  onCancel: (order: Order, reason: string) => Promise<void>;
  onClose: () => void;
}) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  function close(): void {
    setReason('');
    setError(null);
    onClose();
  }

  async function submit(event: SubmitEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (order === null) return;
    const text = reason.trim();
    if (text === '') {
      setError('Say why, so the customer knows.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onCancel(order, text);
      close();
    } catch (caught) {
      setError(asApiError(caught)?.message ?? 'Could not cancel the order.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      opened={order !== null}
      onClose={close}
      title={order === null ? 'Cancel order' : `Cancel order ${order.number}`}
      closeButtonProps={{ 'aria-label': 'Keep the order' }}
      centered
    >
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Stack>
          {error !== null && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <Textarea
            label="Reason"
            description="The customer sees this."
            required
            autosize
            minRows={2}
            maxLength={MAX_REASON}
            data-autofocus
            value={reason}
            onChange={(event) => {
              setReason(event.currentTarget.value);
            }}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Keep order
            </Button>
            <Button type="submit" color="red" loading={busy}>
              Cancel order
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
