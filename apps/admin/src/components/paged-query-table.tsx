import { Button, Table } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { Page } from '@taproom/web-core/api/contracts';
import { EmptyState, ErrorState, LoadingState } from '@taproom/web-core/ui/page-states';
import type { ReactNode } from 'react';
import { PAGE_SIZE } from '@/config/app-config';
import { Pager } from './pager';

/** One column: its header and what a row shows in it. */
export interface Column<T> {
  readonly header: string;
  readonly cell: (row: T) => ReactNode;
}

/**
 * A page of a paged list as a table, with the list's loading, error (with a retry) and empty
 * states, and page links under it. `label` names the list ("Users"), for the states and the
 * pager; rows carry `data-testid={rowTestId}`.
 */
export function PagedQueryTable<T>({
  query,
  columns,
  rowKey,
  rowTestId,
  label,
  emptyTitle,
  emptyHint,
  minWidth = 760,
  page,
  onPageChange,
}: {
  query: UseQueryResult<Page<T>>;
  columns: readonly Column<T>[];
  rowKey: (row: T) => string;
  rowTestId?: string;
  label: string;
  emptyTitle: string;
  /** What to do next when nothing matches: "Clear the filters", "Create the first item". */
  emptyHint?: ReactNode;
  minWidth?: number;
  page: number;
  onPageChange: (page: number) => void;
}) {
  if (query.isPending) return <LoadingState label={`Loading ${label.toLowerCase()}…`} />;
  if (query.isError) {
    return <ErrorState message={query.error.message} onRetry={() => void query.refetch()} />;
  }
  const { items, total, totalIsEstimate } = query.data;
  if (total === 0) return <EmptyState title={emptyTitle}>{emptyHint}</EmptyState>;
  const pager = (
    <Pager
      page={page}
      count={{ total, totalIsEstimate }}
      pageSize={PAGE_SIZE}
      onChange={onPageChange}
      label={label}
    />
  );
  if (items.length === 0) {
    // No rows on a page of a list that has some: an estimated total can be larger than the list,
    // a link can name a page past its end, and rows can go between the count and the page.
    const firstPage = page === 1;
    return (
      <>
        <EmptyState title="Nothing on this page">
          {firstPage
            ? 'The list changed while it was read.'
            : totalIsEstimate
              ? 'The list ends before this page: its length was an estimate.'
              : 'This page lies past the end of the list.'}
        </EmptyState>
        <Button
          variant="light"
          display="block"
          mx="auto"
          onClick={() => {
            if (firstPage) void query.refetch();
            else onPageChange(1);
          }}
        >
          {firstPage ? 'Reload' : 'Back to the first page'}
        </Button>
        {pager}
      </>
    );
  }
  return (
    <>
      <Table.ScrollContainer minWidth={minWidth}>
        <Table striped verticalSpacing="xs" className="paged-table">
          <Table.Thead>
            <Table.Tr>
              {columns.map((column) => (
                <Table.Th key={column.header}>{column.header}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((row) => (
              <Table.Tr key={rowKey(row)} data-testid={rowTestId}>
                {columns.map((column) => (
                  <Table.Td key={column.header}>{column.cell(row)}</Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {pager}
    </>
  );
}
