import { Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import type { ReactNode } from 'react';

export interface ConfirmOptions {
  /** What is about to happen, as a question: "Archive Pilsner?" */
  title: string;
  /** Its consequences, named: "Sam will be signed out of 2 devices." */
  message: ReactNode;
  /** The button that does it: "Archive", never "OK". */
  confirmLabel: string;
  /** The button that does nothing. */
  cancelLabel?: string;
  /** Red for what cannot simply be taken back. */
  danger?: boolean;
}

/**
 * A styled confirmation (never the browser's `confirm()`): resolves true when the person chose to
 * go ahead, false when they kept things as they are (the cancel button, Esc, the close button or a
 * click outside). The app must render `<ModalsProvider />` from `@mantine/modals`.
 */
export function confirmAction(options: ConfirmOptions): Promise<boolean> {
  return new Promise((resolve) => {
    modals.openConfirmModal({
      title: options.title,
      centered: true,
      children:
        typeof options.message === 'string' ? (
          <Text size="sm">{options.message}</Text>
        ) : (
          options.message
        ),
      labels: { confirm: options.confirmLabel, cancel: options.cancelLabel ?? 'Keep it' },
      confirmProps: options.danger === false ? {} : { color: 'red' },
      closeButtonProps: { 'aria-label': options.cancelLabel ?? 'Keep it' },
      onConfirm: () => {
        resolve(true);
      },
      onCancel: () => {
        resolve(false);
      },
      // Closed any other way; a promise settles once, so after a choice this changes nothing.
      onClose: () => {
        resolve(false);
      },
    });
  });
}
