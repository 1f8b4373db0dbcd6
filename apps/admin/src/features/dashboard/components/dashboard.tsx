import { Anchor, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { ConnectionState } from '@taproom/web-core/live/event-stream';
import { ConnectionBadge } from '@taproom/web-core/ui/connection-badge';
import { formatMoney, formatTime, formatTotal } from '@taproom/web-core/ui/format';
import { OrderStatusBadge } from '@taproom/web-core/ui/order-status-badge';
import { ErrorState, LoadingState } from '@taproom/web-core/ui/page-states';
import { Link } from 'react-router';
import { PaymentFigures } from '@/components/payment-figures';
import { CURRENCY } from '@/config/app-config';
import { useDashboard } from '../api/dashboard-api';

function Figure({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <Paper withBorder p="md">
      <Text size="sm" c="dimmed" fw={600}>
        {label}
      </Text>
      <Text fz={34} fw={800} lh={1.2} data-testid={testId}>
        {value}
      </Text>
    </Paper>
  );
}

/** Today at a glance, kept live by the event stream. */
export function Dashboard({ connection }: { connection: ConnectionState }) {
  const figures = useDashboard();
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Today
        </Title>
        <ConnectionBadge state={connection} />
      </Group>
      {figures.isPending && <LoadingState label="Loading today’s figures…" />}
      {figures.isError && (
        <ErrorState message={figures.error.message} onRetry={() => void figures.refetch()} />
      )}
      {figures.isSuccess && (
        <>
          <SimpleGrid cols={{ base: 1, xs: 3 }}>
            <Figure
              label="Orders today"
              value={formatTotal(figures.data.ordersToday)}
              testId="orders-today"
            />
            <Figure
              label="Revenue today (collected)"
              value={formatMoney(figures.data.revenueTodayCents, CURRENCY)}
              testId="revenue-today"
            />
            <Figure
              label="Open in the queue"
              value={formatTotal(figures.data.openQueue)}
              testId="open-queue"
            />
          </SimpleGrid>
          <PaymentFigures report={figures.data.sales} title="Payments today" compact />
          <Paper withBorder p="md">
            <Title order={2} size="h4" mb="sm">
              Latest orders
            </Title>
            {figures.data.latest.length === 0 ? (
              <Text c="dimmed">No orders yet today.</Text>
            ) : (
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>No.</Table.Th>
                    <Table.Th>Time</Table.Th>
                    <Table.Th>Customer</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Total</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {figures.data.latest.map((order) => (
                    <Table.Tr key={order.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/orders/${order.id}`} fw={700}>
                          #{order.number}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{formatTime(order.createdAt)}</Table.Td>
                      <Table.Td>
                        <Anchor component={Link} to={`/users/${order.customer.id}`} size="sm">
                          {order.customer.name}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        <OrderStatusBadge status={order.status} size="sm" />
                      </Table.Td>
                      <Table.Td>{formatMoney(order.totalCents, CURRENCY)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Paper>
        </>
      )}
    </Stack>
  );
}
