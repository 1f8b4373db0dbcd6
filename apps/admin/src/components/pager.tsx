import { Group, Pagination, Text } from '@mantine/core';
import { formatTotal, type ListTotal } from '@taproom/web-core/ui/format';

/**
 * Page links under a list, with the total (`about …` when the server estimated it); hidden when
 * everything fits on one page.
 */
export function Pager({
  page,
  count,
  pageSize,
  onChange,
  label,
}: {
  page: number;
  count: ListTotal;
  pageSize: number;
  onChange: (page: number) => void;
  label: string;
}) {
  const pages = Math.max(1, Math.ceil(count.total / pageSize));
  return (
    <Group justify="space-between" mt="sm">
      <Text size="sm" c="dimmed">
        {formatTotal(count)} {count.total === 1 && !count.totalIsEstimate ? 'entry' : 'entries'}
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
          getItemProps={(item) => ({
            'aria-label': `Page ${String(item)}`,
            // "50,000", as the total is written.
            children: item.toLocaleString(),
          })}
        />
      )}
    </Group>
  );
}
