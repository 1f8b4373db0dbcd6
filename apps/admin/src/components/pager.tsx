import { Group, Pagination, Text } from '@mantine/core';

/** Page links under a list, with the total; hidden when everything fits on one page. */
export function Pager({
  page,
  total,
  pageSize,
  onChange,
  label,
}: {
  page: number;
  total: number;
  pageSize: number;
  onChange: (page: number) => void;
  label: string;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <Group justify="space-between" mt="sm">
      <Text size="sm" c="dimmed">
        {total} {total === 1 ? 'entry' : 'entries'}
      </Text>
      {pages > 1 && (
        <Pagination
          total={pages}
          value={page}
          onChange={onChange}
          aria-label={`${label} pages`}
          getControlProps={(control) => ({
            'aria-label': control === 'previous' ? 'Previous page' : 'Next page',
          })}
          getItemProps={(item) => ({ 'aria-label': `Page ${String(item)}` })}
        />
      )}
    </Group>
  );
}
