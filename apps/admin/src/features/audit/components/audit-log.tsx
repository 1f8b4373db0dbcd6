import { Anchor, Badge, Code, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { AUDIT_EVENT_TYPES, type AuditEvent } from '@taproom/web-core/api/contracts';
import { formatDateTime } from '@taproom/web-core/ui/format';
import { useMemo, useState } from 'react';
import { type Column, PagedQueryTable } from '@/components/paged-query-table';
import { useAudit } from '../api/audit-api';

/** A detail value as a person reads it. */
function shown(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** The entry's details as labelled fields, opened on demand. */
function Details({ event }: { event: AuditEvent }) {
  const entries = Object.entries(event.details);
  return (
    <details>
      <summary style={{ cursor: 'pointer' }}>
        <Text span size="sm" c="dimmed">
          Details
        </Text>
      </summary>
      <Stack gap={2} mt={4}>
        {entries.map(([key, value]) => (
          <Text key={key} size="xs" style={{ wordBreak: 'break-word' }}>
            <b>{key}</b>: {shown(value)}
          </Text>
        ))}
        {event.sessionId !== null && (
          <Text size="xs">
            <b>session</b>: <Code fz={11}>{event.sessionId}</Code>
          </Text>
        )}
        <Text size="xs">
          <b>ip</b>: {event.ip ?? '—'}
        </Text>
      </Stack>
    </details>
  );
}

/** The audit log, newest first: each entry as a sentence, filtered by type and person. */
export function AuditLog() {
  const [type, setType] = useState('');
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [page, setPage] = useState(1);
  const audit = useAudit({ type, q, page });

  const columns = useMemo<readonly Column<AuditEvent>[]>(
    () => [
      {
        header: 'When',
        cell: (event) => <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(event.at)}</span>,
      },
      {
        header: 'What happened',
        cell: (event) => (
          <Stack gap={4}>
            <Text size="sm">{event.summary}</Text>
            <Group gap={6}>
              <Badge
                variant="light"
                tt="none"
                color={
                  event.type.includes('fail') || event.type.includes('reused') ? 'red' : 'blue'
                }
              >
                {event.type.replaceAll('_', ' ')}
              </Badge>
            </Group>
            <Details event={event} />
          </Stack>
        ),
      },
      {
        header: 'Person',
        cell: (event) =>
          event.user === null ? (
            '—'
          ) : (
            <Anchor
              component="button"
              type="button"
              size="sm"
              title={event.user.email}
              onClick={() => {
                setSearch(event.user?.email ?? '');
                setPage(1);
              }}
            >
              {event.user.name}
            </Anchor>
          ),
      },
    ],
    [],
  );

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
          label="Person"
          placeholder="Name or email"
          type="search"
          w={280}
          value={search}
          onChange={(e) => {
            setSearch(e.currentTarget.value);
            setPage(1);
          }}
        />
      </Group>
      <PagedQueryTable
        query={audit}
        columns={columns}
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
