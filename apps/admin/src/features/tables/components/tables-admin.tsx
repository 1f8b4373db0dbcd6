import {
  ActionIcon,
  Alert,
  Anchor,
  Button,
  Group,
  NumberInput,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { asApiError } from '@taproom/web-core/api/api-client';
import type { AdminTable } from '@taproom/web-core/api/contracts';
import { confirmAction } from '@taproom/web-core/ui/confirm';
import { EmptyState, ErrorState, LoadingState } from '@taproom/web-core/ui/page-states';
import { useState, type SubmitEvent } from 'react';
import { Link } from 'react-router';
import { toastDone, toastFailed } from '@/lib/toasts';
import {
  useCreateTable,
  useDeleteTable,
  useRelabelTable,
  useRotateTable,
  useTables,
} from '../api/tables-api';
import { LABEL_MAX, tableName } from '../lib/table-name';
import { QrCode } from './qr-code';

/** The tables guests scan to order: add, label, give a new code, remove, and print the codes. */
export function TablesAdmin() {
  const tables = useTables();
  if (tables.isPending) return <LoadingState label="Loading the tables…" />;
  if (tables.isError) {
    return (
      <ErrorState
        title="Could not load the tables"
        message={asApiError(tables.error)?.message ?? ''}
        onRetry={() => void tables.refetch()}
      />
    );
  }
  return (
    <Stack>
      <Group justify="space-between" align="end">
        <div>
          <Title order={1} size="h2">
            Tables
          </Title>
          <Text c="dimmed" size="sm">
            Each table has a QR code. Scanning it opens the menu with the table filled in: guests
            order without an account.
          </Text>
        </div>
        {tables.data.length > 0 && (
          <Group gap="xs">
            <Button component={Link} to="/tables/print?layout=a4" variant="default">
              Print A4 sheet
            </Button>
            <Button component={Link} to="/tables/print?layout=labels" variant="default">
              Print labels
            </Button>
          </Group>
        )}
      </Group>
      <AddTableForm taken={tables.data.map((table) => table.number)} />
      {tables.data.length === 0 ? (
        <EmptyState title="No tables yet">
          Add the tables of the venue, then print their QR codes.
        </EmptyState>
      ) : (
        <Paper withBorder>
          <Table.ScrollContainer minWidth={560}>
            <Table verticalSpacing="xs" striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={72}>Code</Table.Th>
                  <Table.Th>Table</Table.Th>
                  <Table.Th>Label</Table.Th>
                  <Table.Th ta="right">Actions</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {tables.data.map((table) => (
                  <TableRow key={table.id} table={table} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
    </Stack>
  );
}

function AddTableForm({ taken }: { taken: number[] }) {
  const create = useCreateTable();
  const [number, setNumber] = useState<number | string>('');
  const [label, setLabel] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});

  async function submit(event: SubmitEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (typeof number !== 'number' || !Number.isInteger(number) || number < 1 || number > 999) {
      setErrors({ number: 'Table numbers run from 1 to 999.' });
      return;
    }
    if (taken.includes(number)) {
      setErrors({ number: `There is already a table ${String(number)}.` });
      return;
    }
    try {
      const table = await create.mutateAsync({
        number,
        ...(label.trim() === '' ? {} : { label: label.trim() }),
      });
      toastDone(`${tableName(table)} added.`);
      setNumber('');
      setLabel('');
      setErrors({});
    } catch (caught) {
      const apiError = asApiError(caught);
      setErrors({
        ...apiError?.fieldErrors('table'),
        form: apiError?.message ?? 'Could not add the table.',
      });
    }
  }

  return (
    <Paper withBorder p="md" component="form" onSubmit={(event) => void submit(event)} noValidate>
      <Group align="start" wrap="wrap">
        <NumberInput
          label="Table number"
          min={1}
          max={999}
          allowDecimal={false}
          allowNegative={false}
          w={140}
          value={number}
          onChange={setNumber}
          error={errors.number}
        />
        <TextInput
          label="Label (optional)"
          placeholder="Window, terrace…"
          maxLength={LABEL_MAX}
          style={{ flex: 1, minWidth: 200 }}
          value={label}
          onChange={(event) => {
            setLabel(event.currentTarget.value);
          }}
          error={errors.label}
        />
        <Button type="submit" mt={25} loading={create.isPending}>
          Add table
        </Button>
      </Group>
      {errors.form !== undefined && errors.number === undefined && errors.label === undefined && (
        <Alert color="red" role="alert" mt="sm">
          {errors.form}
        </Alert>
      )}
    </Paper>
  );
}

function TableRow({ table }: { table: AdminTable }) {
  const relabel = useRelabelTable();
  const rotate = useRotateTable();
  const remove = useDeleteTable();
  const [editing, setEditing] = useState<string | null>(null);
  const name = tableName(table);

  async function saveLabel(event: SubmitEvent<HTMLElement>): Promise<void> {
    event.preventDefault();
    if (editing === null) return;
    const label = editing.trim() === '' ? null : editing.trim();
    try {
      await relabel.mutateAsync({ id: table.id, label });
      setEditing(null);
    } catch (caught) {
      toastFailed(`Could not label table ${String(table.number)}`, caught);
    }
  }

  async function newCode(): Promise<void> {
    const yes = await confirmAction({
      title: `New QR code for table ${String(table.number)}?`,
      message:
        'The printed code stops working at once: guests who scan it are told the table is ' +
        'unknown. Print the new code and replace the old one. Guests already ordering keep going.',
      confirmLabel: 'Make a new code',
    });
    if (!yes) return;
    try {
      await rotate.mutateAsync(table.id);
      toastDone(`Table ${String(table.number)} has a new code. Print it and replace the old one.`);
    } catch (caught) {
      toastFailed(`Could not make a new code for table ${String(table.number)}`, caught);
    }
  }

  async function removeTable(): Promise<void> {
    const yes = await confirmAction({
      title: `Remove table ${String(table.number)}?`,
      message: 'Its QR code stops working. Past orders keep their table number.',
      confirmLabel: 'Remove table',
    });
    if (!yes) return;
    try {
      await remove.mutateAsync(table.id);
      toastDone(`Table ${String(table.number)} removed.`);
    } catch (caught) {
      toastFailed(`Could not remove table ${String(table.number)}`, caught);
    }
  }

  return (
    <Table.Tr data-testid={`table-row-${String(table.number)}`}>
      <Table.Td>
        <Anchor
          href={table.qrUrl}
          target="_blank"
          rel="noreferrer"
          aria-label={`Open ${name}'s link`}
        >
          <QrCode url={table.qrUrl} size="56px" label={`QR code of ${name}`} />
        </Anchor>
      </Table.Td>
      <Table.Td>
        <Text fw={700} size="lg">
          {table.number}
        </Text>
      </Table.Td>
      <Table.Td>
        {editing === null ? (
          <Group gap="xs" wrap="nowrap">
            <Text c={table.label === null ? 'dimmed' : undefined} lineClamp={2}>
              {table.label ?? 'No label'}
            </Text>
            <ActionIcon
              variant="subtle"
              aria-label={`Edit the label of table ${String(table.number)}`}
              onClick={() => {
                setEditing(table.label ?? '');
              }}
            >
              ✎
            </ActionIcon>
          </Group>
        ) : (
          <Group
            component="form"
            gap="xs"
            wrap="nowrap"
            onSubmit={(event) => void saveLabel(event)}
          >
            <TextInput
              aria-label={`Label of table ${String(table.number)}`}
              size="xs"
              maxLength={LABEL_MAX}
              value={editing}
              autoFocus
              onChange={(event) => {
                setEditing(event.currentTarget.value);
              }}
              onKeyDown={(event) => {
                if (event.key === 'Escape') setEditing(null);
              }}
            />
            <Button type="submit" size="xs" loading={relabel.isPending}>
              Save
            </Button>
            <Button
              size="xs"
              variant="default"
              onClick={() => {
                setEditing(null);
              }}
            >
              Cancel
            </Button>
          </Group>
        )}
      </Table.Td>
      <Table.Td>
        <Group gap="xs" justify="end" wrap="nowrap">
          <Button
            size="xs"
            variant="default"
            component={Link}
            to={`/tables/print?layout=labels&table=${String(table.number)}`}
          >
            Print
          </Button>
          <Button
            size="xs"
            variant="default"
            loading={rotate.isPending}
            onClick={() => void newCode()}
          >
            New code
          </Button>
          <Button
            size="xs"
            color="red"
            variant="light"
            loading={remove.isPending}
            onClick={() => void removeTable()}
          >
            Remove
          </Button>
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}
