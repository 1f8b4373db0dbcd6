import {
  Alert,
  Button,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { formatMoney } from '@taproom/web-core/ui/format';
import { ErrorState, LoadingState } from '@taproom/web-core/ui/page-states';
import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { CsvDownloadButton } from '@/components/csv-download-button';
import { PaymentFigures } from '@/components/payment-figures';
import { CURRENCY } from '@/config/app-config';
import { DATE_PRESETS, type DatePreset, presetRange } from '@/lib/dates';
import { useSalesReport, useServiceReport } from '../api/sales-api';
import { ServiceReportView } from './service-report-view';

/** Whole currency units on an axis, short: "€1.2K". */
const axisMoney = new Intl.NumberFormat(undefined, {
  style: 'currency',
  currency: CURRENCY,
  notation: 'compact',
  maximumFractionDigits: 1,
});

/**
 * Sales for a range of days (presets or any two dates): revenue per day as a bar chart, the total
 * and the best sellers, the service report, and the days as CSV. A range that cannot be shown
 * shows nothing old beneath its error.
 */
export function SalesReportView() {
  const [range, setRange] = useState(() => presetRange('last 7 days', new Date()));
  const [preset, setPreset] = useState<DatePreset | null>('last 7 days');
  const { from, to } = range;
  const valid = from !== '' && to !== '' && from <= to;
  const report = useSalesReport(from, to, valid);
  const service = useServiceReport(from, to, valid);
  const days = (report.data?.days ?? []).map((day) => ({
    date: day.date.slice(5),
    revenue: day.revenueCents / 100,
    orders: day.orders,
  }));

  function choose(next: DatePreset): void {
    setPreset(next);
    setRange(presetRange(next, new Date()));
  }

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Sales
        </Title>
        {valid && (
          <CsvDownloadButton
            path="/admin/reports/sales.csv"
            params={{ from, to }}
            fallbackName={`sales-${from}-${to}.csv`}
          />
        )}
      </Group>
      <Group gap={6} role="group" aria-label="Date range">
        {DATE_PRESETS.map((name) => (
          <Button
            key={name}
            size="compact-md"
            variant={preset === name ? 'filled' : 'default'}
            aria-pressed={preset === name}
            onClick={() => {
              choose(name);
            }}
          >
            {name.charAt(0).toUpperCase() + name.slice(1)}
          </Button>
        ))}
      </Group>
      <Group align="flex-end">
        <TextInput
          type="date"
          label="From"
          value={from}
          max={to}
          onChange={(e) => {
            setPreset(null);
            setRange({ from: e.currentTarget.value, to });
          }}
        />
        <TextInput
          type="date"
          label="To"
          value={to}
          min={from}
          onChange={(e) => {
            setPreset(null);
            setRange({ from, to: e.currentTarget.value });
          }}
        />
        {valid && report.data !== undefined && (
          <Paper withBorder px="md" py={6}>
            <Text size="xs" c="dimmed">
              Revenue (completed orders)
            </Text>
            <Text fw={800} fz="xl" data-testid="sales-total">
              {formatMoney(report.data.totalRevenueCents, CURRENCY)}
            </Text>
          </Paper>
        )}
      </Group>
      {!valid && (
        <Alert color="yellow" role="alert">
          Choose a start date on or before the end date.
        </Alert>
      )}
      {valid && report.isPending && <LoadingState label="Loading the report…" />}
      {valid && report.isError && (
        <ErrorState message={report.error.message} onRetry={() => void report.refetch()} />
      )}
      {valid && report.data !== undefined && (
        <>
          <Paper withBorder p="md">
            <Title order={2} size="h4" mb="sm" id="revenue-chart-title">
              Revenue per day
            </Title>
            <div
              role="img"
              aria-labelledby="revenue-chart-title"
              aria-describedby="revenue-table"
              style={{ width: '100%', height: 300 }}
            >
              <ResponsiveContainer width="100%" height="100%">
                <BarChart data={days} margin={{ top: 8, right: 8, bottom: 8, left: 8 }}>
                  <CartesianGrid strokeDasharray="3 3" vertical={false} />
                  <XAxis dataKey="date" tick={{ fontSize: 12 }} />
                  <YAxis
                    tick={{ fontSize: 12 }}
                    width={64}
                    tickFormatter={(value: number) => axisMoney.format(value)}
                  />
                  <Tooltip
                    formatter={(value) => formatMoney(Math.round(Number(value) * 100), CURRENCY)}
                  />
                  <Bar dataKey="revenue" name="Revenue" fill="#e8590c" radius={[4, 4, 0, 0]} />
                </BarChart>
              </ResponsiveContainer>
            </div>
          </Paper>
          <PaymentFigures report={report.data} title="Payments" />
          {/* Side by side from a laptop's width; one above the other on phones and tablets. */}
          <SimpleGrid cols={{ base: 1, md: 2 }} style={{ alignItems: 'start' }}>
            <Paper withBorder p="md">
              <Title order={2} size="h4" mb="sm" id="revenue-table">
                Days
              </Title>
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Date</Table.Th>
                    <Table.Th>Orders</Table.Th>
                    <Table.Th>Revenue</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {report.data.days.map((day) => (
                    <Table.Tr key={day.date}>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{day.date}</Table.Td>
                      <Table.Td>{day.orders}</Table.Td>
                      <Table.Td>{formatMoney(day.revenueCents, CURRENCY)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Paper>
            <Paper withBorder p="md">
              <Title order={2} size="h4" mb="sm">
                Best sellers
              </Title>
              {report.data.topItems.length === 0 ? (
                <Text c="dimmed">No completed orders in this range.</Text>
              ) : (
                <Table striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Item</Table.Th>
                      <Table.Th>Sold</Table.Th>
                      <Table.Th>Revenue</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {report.data.topItems.map((item) => (
                      <Table.Tr key={item.menuItemId}>
                        <Table.Td>{item.name}</Table.Td>
                        <Table.Td>{item.quantity}</Table.Td>
                        <Table.Td>{formatMoney(item.revenueCents, CURRENCY)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </Paper>
          </SimpleGrid>
          {service.isError && (
            <ErrorState message={service.error.message} onRetry={() => void service.refetch()} />
          )}
          {service.data !== undefined && <ServiceReportView report={service.data} />}
        </>
      )}
    </Stack>
  );
}
