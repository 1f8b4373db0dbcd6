import {
  Anchor,
  Badge,
  Button,
  Group,
  MultiSelect,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import {
  AUDIT_EVENT_TYPES,
  type AuditEvent,
  type AuditEventType,
} from '@taproom/web-core/api/contracts';
import { formatDateTime } from '@taproom/web-core/ui/format';
import { useMemo } from 'react';
import { Link } from 'react-router';
import { type Column, PagedQueryTable } from '@/components/paged-query-table';
import { UserPicker } from '@/components/user-picker';
import { endOfDay, startOfDay } from '@/lib/dates';
import { isUserId } from '@/lib/people';
import { useUrlFilters } from '@/lib/url-filters';
import { useAudit } from '../api/audit-api';
import { AuditDetails } from './audit-details';

const TYPE_OPTIONS = AUDIT_EVENT_TYPES.map((value) => ({
  value,
  label: value.replaceAll('_', ' '),
}));

function isAuditType(value: string): value is AuditEventType {
  return (AUDIT_EVENT_TYPES as readonly string[]).includes(value);
}

/**
 * The audit log, newest first: each entry as a sentence, with details on demand; filtered by
 * type, person and days. The filters live in the address, so a person's trail can be linked to.
 */
export function AuditLog() {
  const { params, set, clear } = useUrlFilters();
  const types = (params.get('type') ?? '').split(',').filter(isAuditType);
  const userId = isUserId(params.get('userId') ?? '') ? (params.get('userId') ?? '') : '';
  const fromDay = params.get('from') ?? '';
  const toDay = params.get('to') ?? '';
  const page = Number(params.get('page') ?? '1') || 1;
  const audit = useAudit({
    types,
    userId,
    from: startOfDay(fromDay) ?? '',
    to: endOfDay(toDay) ?? '',
    page,
  });

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
            <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
              {event.summary}
            </Text>
            <Group gap={6}>
              <Badge
                variant="light"
                tt="none"
                style={{ whiteSpace: 'nowrap', overflow: 'visible' }}
                color={
                  event.type.includes('fail') || event.type.includes('reused') ? 'red' : 'blue'
                }
              >
                {event.type.replaceAll('_', ' ')}
              </Badge>
            </Group>
            <AuditDetails event={event} />
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
              component={Link}
              size="sm"
              title={event.user.email ?? undefined}
              to={`/users/${event.user.id}`}
            >
              {event.user.name}
            </Anchor>
          ),
      },
    ],
    [],
  );

  const filtered = types.length > 0 || userId !== '' || fromDay !== '' || toDay !== '';
  return (
    <Stack>
      <Title order={1} size="h2">
        Audit log
      </Title>
      <Group align="flex-end">
        <MultiSelect
          label="Type"
          placeholder={types.length === 0 ? 'All types' : undefined}
          size="md"
          w={300}
          clearable
          searchable
          data={TYPE_OPTIONS}
          value={types}
          onChange={(value) => {
            set('type', value.join(','));
          }}
        />
        <UserPicker
          label="Person"
          value={userId}
          onChange={(user) => {
            set('userId', user?.id ?? '');
          }}
        />
        <TextInput
          label="From"
          type="date"
          size="md"
          value={fromDay}
          max={toDay || undefined}
          onChange={(event) => {
            set('from', event.currentTarget.value);
          }}
        />
        <TextInput
          label="To"
          type="date"
          size="md"
          value={toDay}
          min={fromDay || undefined}
          onChange={(event) => {
            set('to', event.currentTarget.value);
          }}
        />
        {filtered && (
          <Button
            variant="subtle"
            onClick={() => {
              clear();
            }}
          >
            Clear filters
          </Button>
        )}
      </Group>
      <PagedQueryTable
        query={audit}
        columns={columns}
        rowKey={(event) => event.id}
        rowTestId="audit-row"
        label="Audit"
        emptyTitle="No audit entries match"
        emptyHint={
          filtered
            ? 'Widen the dates, or clear a filter.'
            : 'What people do in Taproom shows up here.'
        }
        page={page}
        onPageChange={(next) => {
          set('page', String(next));
        }}
      />
    </Stack>
  );
}
