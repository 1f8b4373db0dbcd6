import { Button } from '@mantine/core';
import { useState } from 'react';
import { api } from '@/lib/session';
import { toastFailed } from '@/lib/toasts';

/** The file name the server gave (`attachment; filename="orders-2026-12-06.csv"`), if any. */
function fileNameOf(disposition: unknown, fallback: string): string {
  if (typeof disposition !== 'string') return fallback;
  return /filename="([^"]+)"/.exec(disposition)?.[1] ?? fallback;
}

/**
 * Downloads a CSV export. The API needs the access token, which a plain link cannot send, so the
 * file is fetched through the API client (refreshing the token if it must) and then saved.
 */
export function CsvDownloadButton({
  path,
  params,
  fallbackName,
  label = 'Download CSV',
}: {
  path: string;
  params: Record<string, string>;
  fallbackName: string;
  label?: string;
}) {
  const [busy, setBusy] = useState(false);
  async function download(): Promise<void> {
    setBusy(true);
    try {
      const response = await api.get<Blob>(path, { params, responseType: 'blob' });
      const url = URL.createObjectURL(response.data);
      const link = document.createElement('a');
      link.href = url;
      link.download = fileNameOf(response.headers['content-disposition'], fallbackName);
      document.body.append(link);
      link.click();
      link.remove();
      // The download has its own copy once it starts.
      setTimeout(() => {
        URL.revokeObjectURL(url);
      }, 10_000);
    } catch (error) {
      toastFailed('The export did not download', error);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Button variant="default" loading={busy} onClick={() => void download()}>
      {label}
    </Button>
  );
}
