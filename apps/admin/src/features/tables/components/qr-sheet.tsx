import { Button, Group, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { asApiError } from '@taproom/web-core/api/api-client';
import type { AdminTable } from '@taproom/web-core/api/contracts';
import { EmptyState, ErrorState, LoadingState } from '@taproom/web-core/ui/page-states';
import { Link } from 'react-router';
import { useTables } from '../api/tables-api';
import { QrCode } from './qr-code';
import './qr-sheet.css';

export type SheetLayout = 'a4' | 'labels';

/** The page size each layout prints on; the browser's print dialog picks it up. */
const PAGE_SIZE: Record<SheetLayout, string> = {
  a4: 'A4 portrait',
  labels: '62mm 90mm',
};

/**
 * The tables' QR codes, ready to print: six to an A4 page (cut along the lines), or one per
 * label (62 × 90 mm, the common label-printer roll). `only` prints one table.
 */
export function QrSheet({
  layout,
  only,
  onLayoutChange,
}: {
  layout: SheetLayout;
  only: number | null;
  onLayoutChange: (layout: SheetLayout) => void;
}) {
  const tables = useTables();
  if (tables.isPending) return <LoadingState label="Loading the tables…" />;
  if (tables.isError) {
    return (
      <ErrorState
        title="Could not load the tables"
        message={asApiError(tables.error)?.message ?? ''}
        onRetry={() => void tables.refetch()}
      />
    );
  }
  const printed = tables.data.filter((table) => only === null || table.number === only);
  return (
    <Stack>
      <style>{`@page { size: ${PAGE_SIZE[layout]}; margin: ${layout === 'a4' ? '10mm' : '0'}; }`}</style>
      <Group justify="space-between" className="no-print">
        <div>
          <Title order={1} size="h2">
            QR codes
          </Title>
          <Text c="dimmed" size="sm">
            {printed.length === 1 ? '1 table' : `${String(printed.length)} tables`}. Print on{' '}
            {layout === 'a4' ? 'A4 paper, then cut along the lines' : '62 × 90 mm labels'}.
          </Text>
        </div>
        <Group>
          <SegmentedControl
            aria-label="Paper"
            value={layout}
            onChange={(value) => {
              onLayoutChange(value === 'labels' ? 'labels' : 'a4');
            }}
            data={[
              { value: 'a4', label: 'A4 sheet' },
              { value: 'labels', label: 'Labels' },
            ]}
          />
          <Button variant="default" component={Link} to="/tables">
            Back to tables
          </Button>
          <Button
            onClick={() => {
              window.print();
            }}
            disabled={printed.length === 0}
          >
            Print
          </Button>
        </Group>
      </Group>
      {printed.length === 0 ? (
        <EmptyState title="Nothing to print">Add a table first.</EmptyState>
      ) : (
        <div className={`qr-sheet qr-sheet-${layout}`} data-testid="qr-sheet">
          {printed.map((table) => (
            <QrCard key={table.id} table={table} />
          ))}
        </div>
      )}
    </Stack>
  );
}

function QrCard({ table }: { table: AdminTable }) {
  return (
    <figure className="qr-card" data-testid={`qr-card-${String(table.number)}`}>
      <div className="qr-card-title">Table {table.number}</div>
      <QrCode url={table.qrUrl} size="100%" label={`QR code of table ${String(table.number)}`} />
      <figcaption>
        <div className="qr-card-call">Scan to order</div>
        {table.label !== null && <div className="qr-card-label">{table.label}</div>}
      </figcaption>
    </figure>
  );
}
