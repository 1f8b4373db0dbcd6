import { Badge, Code, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { formatDateTime } from '@taproom/web-core/ui/format';
import { ErrorState, LoadingState } from '@taproom/web-core/ui/page-states';
import { useState } from 'react';
import { Pager } from '@/components/pager';
import { PAGE_SIZE } from '@/config/app-config';
import { AUDIT_EVENT_TYPES } from '@taproom/web-core/api/contracts';
import { useAudit } from '../api/audit-api';

function detailsText(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' · ');
}

/** The security log, newest first, filtered by type and user. */
export function AuditLog() {
  const [type, setType] = useState('');
  const [userId, setUserId] = useState('');
  const [page, setPage] = useState(1);
  const audit = useAudit({ type, userId, page });
  return (
    <Stack>
      <Title order={1} size="h2">
        Audit log
      </Title>
      <Group align="flex-end">
        <Select
          label="Type"
          placeholder="All types"
          size="md"
          clearable
          searchable
          data={AUDIT_EVENT_TYPES.map((value) => ({ value, label: value.replaceAll('_', ' ') }))}
          value={type === '' ? null : type}
          onChange={(value) => {
            setType(value ?? '');
            setPage(1);
          }}
        />
        <TextInput
          label="User id"
          placeholder="Any user"
          w={320}
          value={userId}
          onChange={(e) => {
            setUserId(e.currentTarget.value.trim());
            setPage(1);
          }}
        />
      </Group>
      {audit.isPending && <LoadingState label="Loading the audit log…" />}
      {audit.isError && (
        <ErrorState message={audit.error.message} onRetry={() => void audit.refetch()} />
      )}
      {audit.isSuccess && (
        <>
          <Table.ScrollContainer minWidth={760}>
            <Table striped verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>When</Table.Th>
                  <Table.Th>Type</Table.Th>
                  <Table.Th>User</Table.Th>
                  <Table.Th>IP</Table.Th>
                  <Table.Th>Details</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {audit.data.items.map((event) => (
                  <Table.Tr key={event.id} data-testid="audit-row">
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(event.at)}</Table.Td>
                    <Table.Td>
                      <Badge
                        variant="light"
                        color={
                          event.type.includes('fail') || event.type.includes('reused')
                            ? 'red'
                            : 'blue'
                        }
                      >
                        {event.type.replaceAll('_', ' ')}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      {event.userId === null ? (
                        '—'
                      ) : (
                        <Code style={{ fontSize: 11 }}>{event.userId}</Code>
                      )}
                    </Table.Td>
                    <Table.Td>{event.ip ?? '—'}</Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ wordBreak: 'break-word' }}>
                        {detailsText(event.details)}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Pager
            page={page}
            total={audit.data.total}
            pageSize={PAGE_SIZE}
            onChange={setPage}
            label="Audit"
          />
        </>
      )}
    </Stack>
  );
}
