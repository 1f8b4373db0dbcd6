import { Group, Paper, SimpleGrid, Text, Title } from '@mantine/core';
import type { ServiceReport } from '@taproom/web-core/api/contracts';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

/** "1 min 35 s", "42 s", "—" when no order had one. */
function describeSeconds(seconds: number | null): string {
  if (seconds === null) return '—';
  const whole = Math.round(seconds);
  if (whole < 60) return `${String(whole)} s`;
  const minutes = Math.floor(whole / 60);
  const rest = whole % 60;
  return rest === 0 ? `${String(minutes)} min` : `${String(minutes)} min ${String(rest)} s`;
}

function Percentiles({
  label,
  value,
  testId,
}: {
  label: string;
  value: ServiceReport['acceptSeconds'];
  testId: string;
}) {
  return (
    <Paper withBorder px="md" py="sm" data-testid={testId}>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Group gap="lg" mt={4}>
        <div>
          <Text size="xs" c="dimmed">
            Typical (median)
          </Text>
          <Text fw={800} fz="xl">
            {describeSeconds(value.p50)}
          </Text>
        </div>
        <div>
          <Text size="xs" c="dimmed">
            Slow (9 in 10 faster)
          </Text>
          <Text fw={800} fz="xl">
            {describeSeconds(value.p90)}
          </Text>
        </div>
      </Group>
    </Paper>
  );
}

/** Orders per hour of the day, and how long they waited to be accepted and to be ready. */
export function ServiceReportView({ report }: { report: ServiceReport }) {
  const hours = report.ordersPerHour.map((entry) => ({
    hour: `${String(entry.hour).padStart(2, '0')}:00`,
    orders: entry.orders,
  }));
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="sm">
        Service
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2 }} mb="md">
        <Percentiles
          label="Placed → accepted"
          value={report.acceptSeconds}
          testId="accept-seconds"
        />
        <Percentiles label="Placed → ready" value={report.readySeconds} testId="ready-seconds" />
      </SimpleGrid>
      <Title order={3} size="h5" mb="xs" id="hours-chart-title">
        Orders per hour of the day
      </Title>
      <div role="img" aria-labelledby="hours-chart-title" style={{ width: '100%', height: 220 }}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={hours} margin={{ top: 8, right: 8, bottom: 8, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="hour" tick={{ fontSize: 11 }} interval={1} />
            <YAxis tick={{ fontSize: 12 }} width={40} allowDecimals={false} />
            <Tooltip />
            <Bar dataKey="orders" name="Orders" fill="#1c7ed6" radius={[3, 3, 0, 0]} />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </Paper>
  );
}
