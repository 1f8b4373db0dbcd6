import { Alert, Button, type ButtonProps, Center, Group, Loader, Stack, Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import type { AxiosInstance } from 'axios';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { asApiError } from '../api/api-client';

/** What naming a receipt takes: the order's id and its number. */
export interface ReceiptOrderRef {
  readonly id: string;
  readonly number: number;
}

/**
 * An order's receipt (`GET /api/orders/:id/receipt`), shown in a dialog ready to print. The page
 * needs the access token, which neither a link nor a frame's address can carry, so it is fetched
 * through the app's API client and shown in a frame of its own (`srcdoc`): the receipt's
 * stylesheet and `@page` size apply to that frame alone, and printing the frame prints the
 * receipt, 80 mm wide, and nothing of the app. The frame may run no script
 * (`sandbox` without `allow-scripts`); it may print (`allow-modals`), and stays same-origin so the
 * app can ask it to. The app must render `<ModalsProvider />` from `@mantine/modals`.
 */
export function openReceipt(api: AxiosInstance, order: ReceiptOrderRef): void {
  const modalId = `receipt-${order.id}`;
  modals.open({
    modalId,
    title: `Receipt · order #${String(order.number)}`,
    centered: true,
    size: 'auto',
    closeButtonProps: { 'aria-label': 'Close the receipt' },
    children: (
      <ReceiptPreview
        api={api}
        order={order}
        onClose={() => {
          modals.close(modalId);
        }}
      />
    ),
  });
}

/** A button that opens the order's receipt to print. */
export function PrintReceiptButton({
  api,
  order,
  label = 'Print receipt',
  ...props
}: {
  api: AxiosInstance;
  order: ReceiptOrderRef;
  label?: string;
} & ButtonProps) {
  return (
    <Button
      variant="default"
      {...props}
      onClick={() => {
        openReceipt(api, order);
      }}
    >
      {label}
    </Button>
  );
}

function ReceiptPreview({
  api,
  order,
  onClose,
}: {
  api: AxiosInstance;
  order: ReceiptOrderRef;
  onClose: () => void;
}) {
  const receipt = useQuery({
    queryKey: ['orders', order.id, 'receipt'],
    queryFn: async ({ signal }) =>
      (
        await api.get<string>(`/orders/${encodeURIComponent(order.id)}/receipt`, {
          responseType: 'text',
          // The page as it came; a refusal is JSON, read as such for its message.
          transformResponse: (data: unknown, headers) =>
            typeof data === 'string' && String(headers['content-type']).includes('json')
              ? (JSON.parse(data) as unknown)
              : data,
          signal,
        })
      ).data,
    // Printed as it is now: never from an earlier look.
    gcTime: 0,
    staleTime: 0,
    retry: false,
  });
  const [ready, setReady] = useState(false);
  const [height, setHeight] = useState(480);
  const frame = useRef<HTMLIFrameElement>(null);
  const printButton = useRef<HTMLButtonElement>(null);

  // The dialog opened on the spinner: once the receipt is there, Print takes the focus.
  useEffect(() => {
    if (ready) printButton.current?.focus();
  }, [ready]);

  function measure(): void {
    const document = frame.current?.contentDocument;
    if (document) setHeight(Math.ceil(document.documentElement.scrollHeight) + 2);
    setReady(true);
  }

  function print(): void {
    frame.current?.contentWindow?.print();
  }

  if (receipt.isPending) {
    return (
      <Center py="xl" w={320} role="status" aria-live="polite">
        <Stack align="center" gap="xs">
          <Loader aria-hidden />
          <Text c="dimmed">Loading the receipt…</Text>
        </Stack>
      </Center>
    );
  }
  if (receipt.isError) {
    return (
      <Alert color="red" title="No receipt" role="alert" maw={360}>
        <Stack gap="sm" align="flex-start">
          <Text size="sm">{asApiError(receipt.error)?.message ?? 'The receipt did not load.'}</Text>
          <Group gap="xs">
            <Button
              variant="light"
              color="red"
              size="sm"
              onClick={() => {
                void receipt.refetch();
              }}
            >
              Try again
            </Button>
            <Button variant="default" size="sm" onClick={onClose}>
              Close
            </Button>
          </Group>
        </Stack>
      </Alert>
    );
  }
  return (
    <Stack gap="sm" align="center">
      <iframe
        ref={frame}
        className="receipt-frame"
        title={`Receipt for order ${String(order.number)}`}
        srcDoc={receipt.data}
        sandbox="allow-same-origin allow-modals"
        onLoad={measure}
        style={{
          width: 'min(320px, calc(100vw - 64px))',
          height: `min(${String(height)}px, 65vh)`,
          border: '1px solid var(--mantine-color-gray-4)',
          background: '#fff',
        }}
      />
      <Group gap="xs" justify="center">
        <Button ref={printButton} onClick={print} disabled={!ready}>
          Print
        </Button>
        <Button variant="default" onClick={onClose}>
          Close
        </Button>
      </Group>
    </Stack>
  );
}
