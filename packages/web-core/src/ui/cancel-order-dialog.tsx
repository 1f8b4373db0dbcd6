import { Alert, Button, Group, Modal, Radio, Stack, Textarea } from '@mantine/core';
import { asApiError } from '../api/api-client';
import type { Order } from '../api/contracts';
import { fieldMessage } from '../api/field-words';
import { useState, type SubmitEvent } from 'react';

const MAX_REASON = 280;
/** The reasons a bar gives most; "Other" asks for words. The customer sees the reason. */
const REASONS = ['Out of stock', 'Customer left', 'Duplicate order'] as const;
const OTHER = 'other';

/** Asks why before staff cancel an order (the bar and the console): one tap for the usual reasons, words for anything else. */
export function CancelDialog({
  order,
  onCancel,
  onClose,
}: {
  order: Order | null;
  onCancel: (order: Order, reason: string) => Promise<void>;
  onClose: () => void;
}) {
  const [choice, setChoice] = useState<string>('');
  const [other, setOther] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  function close(): void {
    setChoice('');
    setOther('');
    setError(null);
    onClose();
  }

  async function submit(event: SubmitEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (order === null) return;
    const reason = choice === OTHER ? other.trim() : choice;
    if (reason === '') {
      setError(
        choice === OTHER ? fieldMessage('cancelOrder', 'reason', 'missing') : 'Choose a reason.',
      );
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onCancel(order, reason);
      close();
    } catch (caught) {
      const apiError = asApiError(caught);
      setError(
        apiError?.fieldErrors('cancelOrder').reason ??
          apiError?.message ??
          'Couldn’t cancel the order.',
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      opened={order !== null}
      onClose={close}
      title={order === null ? 'Cancel order' : `Cancel order ${String(order.number)}`}
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
          <Radio.Group
            label="Why?"
            description="The customer sees this."
            value={choice}
            onChange={(value) => {
              setChoice(value);
              setError(null);
            }}
          >
            <Stack gap="sm" mt="xs">
              {REASONS.map((reason, index) => (
                <Radio
                  key={reason}
                  value={reason}
                  label={reason}
                  data-autofocus={index === 0 || undefined}
                />
              ))}
              <Radio value={OTHER} label="Other…" />
            </Stack>
          </Radio.Group>
          {choice === OTHER && (
            <Textarea
              label="Reason"
              required
              autosize
              minRows={2}
              maxLength={MAX_REASON}
              value={other}
              onChange={(event) => {
                setOther(event.currentTarget.value);
              }}
            />
          )}
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
