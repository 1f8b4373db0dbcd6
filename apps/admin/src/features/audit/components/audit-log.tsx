import { Badge, Code, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { AUDIT_EVENT_TYPES, type AuditEvent } from '@taproom/web-core/api/contracts';
import { formatDateTime } from '@taproom/web-core/ui/format';
import { useState } from 'react';
import { type Column, PagedQueryTable } from '@/components/paged-query-table';
import { useAudit } from '../api/audit-api';

function detailsText(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' · ');
}

/** The security log, newest first, filtered by type and user. */
const AUDIT_COLUMNS: readonly Column<AuditEvent>[] = [
  {
    header: 'When',
    cell: (event) => <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(event.at)}</span>,
  },
  {
    header: 'Type',
    cell: (event) => (
      <Badge
        variant="light"
        color={event.type.includes('fail') || event.type.includes('reused') ? 'red' : 'blue'}
      >
        {event.type.replaceAll('_', ' ')}
      </Badge>
    ),
  },
  {
    header: 'User',
    cell: (event) =>
      event.userId === null ? '—' : <Code style={{ fontSize: 11 }}>{event.userId}</Code>,
  },
  { header: 'IP', cell: (event) => event.ip ?? '—' },
  {
    header: 'Details',
    cell: (event) => (
      <Text size="sm" style={{ wordBreak: 'break-word' }}>
        {detailsText(event.details)}
      </Text>
    ),
  },
];

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
      <PagedQueryTable
        query={audit}
        columns={AUDIT_COLUMNS}
        rowKey={(event) => event.id}
        rowTestId="audit-row"
        label="Audit"
        emptyTitle="No audit entries match"
        page={page}
        onPageChange={setPage}
      />
    </Stack>
  );
}
