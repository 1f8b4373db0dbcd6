import { Paper, SimpleGrid, Table, Text, Title } from '@mantine/core';
import type { SalesReport } from '@taproom/web-core/api/contracts';
import { formatMoney } from '@taproom/web-core/ui/format';
import { paymentMethodLabel } from '@taproom/web-core/ui/payment-status';
import { useId } from 'react';
import { CURRENCY } from '@/config/app-config';

function Figure({ label, cents, testId }: { label: string; cents: number; testId: string }) {
  return (
    <div>
      <Text size="sm" c="dimmed" fw={600}>
        {label}
      </Text>
      <Text fz={24} fw={800} lh={1.2} data-testid={testId}>
        {formatMoney(cents, CURRENCY)}
      </Text>
    </div>
  );
}

/**
 * The money of a report's orders: what is paid (less refunds), tips, refunds and what is left to
 * pay, then per way of paying what was taken (before refunds), tips and refunds.
 */
export function PaymentFigures({
  report,
  title,
  compact = false,
}: {
  report: SalesReport;
  title: string;
  /** One line per way of paying instead of a table (the dashboard). */
  compact?: boolean;
}) {
  const id = useId();
  const taken = report.payments.filter(
    (row) => row.amountCents > 0 || row.tipCents > 0 || row.refundedCents > 0,
  );
  return (
    <Paper withBorder p="md" data-testid="payment-figures">
      <Title order={2} size="h4" mb="sm" id={id}>
        {title}
      </Title>
      <SimpleGrid cols={{ base: 2, sm: 4 }} mb="sm">
        <Figure label="Paid (less refunds)" cents={report.paidCents} testId="paid-total" />
        <Figure label="Tips" cents={report.tipCents} testId="tips-total" />
        <Figure label="Refunds" cents={report.refundedCents} testId="refunds-total" />
        <Figure label="Unpaid" cents={report.unpaidCents} testId="unpaid-total" />
      </SimpleGrid>
      {taken.length === 0 ? (
        <Text c="dimmed">No payments taken.</Text>
      ) : compact ? (
        <Text size="sm" data-testid="method-line">
          {taken
            .map(
              (row) =>
                `${paymentMethodLabel(row.method)} ${formatMoney(row.amountCents, CURRENCY)}` +
                (row.tipCents > 0 ? ` (tips ${formatMoney(row.tipCents, CURRENCY)})` : ''),
            )
            .join(' · ')}
        </Text>
      ) : (
        // A year's figures (€124,508.56) are wider than a phone: the table scrolls in its card.
        <Table.ScrollContainer minWidth={420}>
          <Table striped aria-labelledby={id}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Method</Table.Th>
                <Table.Th ta="right">Taken</Table.Th>
                <Table.Th ta="right">Tips</Table.Th>
                <Table.Th ta="right">Refunds</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.payments.map((row) => (
                <Table.Tr key={row.method} data-testid="method-row" data-method={row.method}>
                  <Table.Td>{paymentMethodLabel(row.method)}</Table.Td>
                  <Table.Td ta="right">{formatMoney(row.amountCents, CURRENCY)}</Table.Td>
                  <Table.Td ta="right">{formatMoney(row.tipCents, CURRENCY)}</Table.Td>
                  <Table.Td ta="right">{formatMoney(row.refundedCents, CURRENCY)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}
