import { Stack, Text } from '@mantine/core';
import type { AuditEvent } from '@taproom/web-core/api/contracts';
import { formatMoney } from '@taproom/web-core/ui/format';
import type { ReactNode } from 'react';
import { IdWithCopy } from '@/components/id-with-copy';

/** "priceCents" → "Price", "retryAfterSeconds" → "Retry after (s)". */
function labelOf(key: string): string {
  const words = key
    .replace(/Cents$/, '')
    .replace(/Seconds$/, ' (s)')
    .replace(/Id$/, ' id')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A value as a person reads it: money as money, lists as lists, ids with a copy button. */
function Value({ field, value }: { field: string; value: unknown }): ReactNode {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number' && field.endsWith('Cents')) return formatMoney(value);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) {
    return value.length === 0 ? 'none' : value.map((entry) => String(entry)).join(', ');
  }
  if (typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(value)) {
    return <IdWithCopy value={value} />;
  }
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * An entry's details as labelled fields, opened on demand: an edit's `before` and `after` as one
 * line per changed field ("Price: €5.00 → €5.50"), everything else by name.
 */
export function AuditDetails({ event }: { event: AuditEvent }) {
  const before = record(event.details.before);
  const after = record(event.details.after);
  const rest = Object.entries(event.details).filter(
    ([key]) => !(before && after && (key === 'before' || key === 'after')),
  );
  return (
    <details>
      <summary style={{ cursor: 'pointer' }}>
        <Text span size="sm" c="dimmed">
          Details
        </Text>
      </summary>
      <Stack gap={2} mt={4}>
        {before &&
          after &&
          Object.keys(after).map((field) => (
            <Text key={field} size="xs" style={{ wordBreak: 'break-word' }}>
              <b>{labelOf(field)}</b>: <Value field={field} value={before[field]} /> →{' '}
              <Value field={field} value={after[field]} />
            </Text>
          ))}
        {rest.map(([key, value]) => (
          <Text key={key} size="xs" style={{ wordBreak: 'break-word' }}>
            <b>{labelOf(key)}</b>: <Value field={key} value={value} />
          </Text>
        ))}
        {event.sessionId !== null && (
          <Text size="xs">
            <b>Session</b>: <IdWithCopy value={event.sessionId} />
          </Text>
        )}
        <Text size="xs">
          <b>IP</b>: {event.ip ?? '—'}
        </Text>
        <Text size="xs">
          <b>Entry</b>: <IdWithCopy value={event.id} />
        </Text>
      </Stack>
    </details>
  );
}
