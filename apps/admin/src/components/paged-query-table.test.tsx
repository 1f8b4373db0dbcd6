import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import type { Page } from '@taproom/web-core/api/contracts';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PagedQueryTable } from './paged-query-table';

interface Row {
  id: string;
  name: string;
}

function Harness({
  page,
  data,
  onPageChange,
}: {
  page: number;
  data: Page<Row> | (() => Page<Row>);
  onPageChange: (page: number) => void;
}) {
  const query = useQuery({
    queryKey: ['rows', page],
    queryFn: () => Promise.resolve(typeof data === 'function' ? data() : data),
  });
  return (
    <PagedQueryTable
      query={query}
      columns={[{ header: 'Name', cell: (row: Row) => row.name }]}
      rowKey={(row) => row.id}
      rowTestId="row"
      label="Users"
      emptyTitle="No users yet"
      page={page}
      onPageChange={onPageChange}
    />
  );
}

function renderPage(page: number, data: Page<Row> | (() => Page<Row>)) {
  const onPageChange = vi.fn();
  render(
    <MantineProvider>
      <QueryClientProvider client={new QueryClient()}>
        <Harness page={page} data={data} onPageChange={onPageChange} />
      </QueryClientProvider>
    </MantineProvider>,
  );
  return onPageChange;
}

afterEach(() => {
  cleanup();
});

describe('PagedQueryTable', () => {
  it('shows the rows of a page and the pager', async () => {
    renderPage(2, {
      items: [{ id: 'a', name: 'Ann' }],
      total: 21,
      totalIsEstimate: false,
    });
    expect(await screen.findByText('Ann')).toBeTruthy();
    expect(screen.getAllByTestId('row')).toHaveLength(1);
    expect(screen.getByText('21 entries')).toBeTruthy();
    expect(screen.queryByText('Nothing on this page')).toBeNull();
  });

  it('says so when a page lies past the end of an estimated list, and offers the first page', async () => {
    const onPageChange = renderPage(49_000, { items: [], total: 1_000_000, totalIsEstimate: true });
    expect(await screen.findByText('Nothing on this page')).toBeTruthy();
    expect(screen.getByText(/its length was an estimate/)).toBeTruthy();
    expect(screen.getByText(`about ${(1_000_000).toLocaleString()} entries`)).toBeTruthy();
    // The last page's link is written like the total.
    expect(screen.getByLabelText('Page 50000').textContent).toBe((50_000).toLocaleString());
    fireEvent.click(screen.getByRole('button', { name: 'Back to the first page' }));
    expect(onPageChange).toHaveBeenCalledWith(1);
  });

  it('says a page lies past the end of an exact list', async () => {
    const onPageChange = renderPage(3, { items: [], total: 40, totalIsEstimate: false });
    expect(await screen.findByText('This page lies past the end of the list.')).toBeTruthy();
    expect(screen.getByLabelText('Users pages')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Back to the first page' }));
    expect(onPageChange).toHaveBeenCalledWith(1);
  });

  it('reads the first page again when it came back empty from a list with rows', async () => {
    let reads = 0;
    const data = (): Page<Row> => {
      reads += 1;
      return reads === 1
        ? { items: [], total: 1, totalIsEstimate: false }
        : { items: [{ id: 'b', name: 'Bo' }], total: 1, totalIsEstimate: false };
    };
    renderPage(1, data);
    expect(await screen.findByText('The list changed while it was read.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Reload' }));
    expect(await screen.findByText('Bo')).toBeTruthy();
  });

  it('shows the empty state of the list when nothing matches', async () => {
    renderPage(1, { items: [], total: 0, totalIsEstimate: false });
    expect(await screen.findByText('No users yet')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Back to the first page' })).toBeNull();
  });
});
