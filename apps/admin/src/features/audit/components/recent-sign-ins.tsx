import { Anchor, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import type { AdminUserView } from '@taproom/web-core/api/contracts';
import { formatDateTime } from '@taproom/web-core/ui/format';
import { ErrorState, LoadingState } from '@taproom/web-core/ui/page-states';
import { Link } from 'react-router';
import { SIGN_IN_TYPES, useAudit } from '../api/audit-api';

/** The last sign-ins and failed attempts, from the audit log. */
export function RecentSignIns({ user }: { user: AdminUserView }) {
  const signIns = useAudit({
    types: SIGN_IN_TYPES,
    userId: user.id,
    from: '',
    to: '',
    page: 1,
    limit: 10,
  });
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={2} size="h4">
            Recent sign-ins
          </Title>
          <Anchor
            component={Link}
            size="sm"
            to={`/audit?userId=${user.id}&type=${SIGN_IN_TYPES.join(',')}`}
          >
            All
          </Anchor>
        </Group>
        {signIns.isPending ? (
          <LoadingState label="Loading sign-ins…" />
        ) : signIns.isError ? (
          <ErrorState message={signIns.error.message} onRetry={() => void signIns.refetch()} />
        ) : signIns.data.total === 0 ? (
          <Text c="dimmed" size="sm">
            No sign-ins yet.
          </Text>
        ) : (
          <Table verticalSpacing={4} aria-label={`${user.name}'s recent sign-ins`}>
            <Table.Tbody>
              {signIns.data.items.map((event) => (
                <Table.Tr key={event.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(event.at)}</Table.Td>
                  <Table.Td>
                    <Text
                      size="sm"
                      c={event.type === 'login_succeeded' ? undefined : 'red'}
                      style={{ overflowWrap: 'anywhere' }}
                    >
                      {event.summary}
                    </Text>
                  </Table.Td>
                  <Table.Td>{event.ip ?? '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Card>
  );
}
