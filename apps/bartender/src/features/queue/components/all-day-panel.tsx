import { Drawer, Table, Text } from '@mantine/core';
import type { AllDayCount } from '../utils/queue-logic';

/**
 * The all-day count: what the open tickets still need made, per item ("7 × House Pale Ale"), for
 * the board's station, so the bar can pour or prep in batches.
 */
export function AllDayPanel({
  opened,
  onClose,
  counts,
  stationLabel,
}: {
  opened: boolean;
  onClose: () => void;
  counts: readonly AllDayCount[];
  stationLabel: string;
}) {
  return (
    <Drawer
      opened={opened}
      onClose={onClose}
      position="right"
      size="sm"
      title={`All day · ${stationLabel}`}
      closeButtonProps={{ 'aria-label': 'Close the all-day count' }}
    >
      <Text size="sm" c="dimmed" mb="sm">
        Still to make on new, accepted and preparing tickets.
      </Text>
      {counts.length === 0 ? (
        <Text c="dimmed">Nothing to make.</Text>
      ) : (
        <Table verticalSpacing={6} fz="lg" data-testid="all-day">
          <Table.Tbody>
            {counts.map((count) => (
              <Table.Tr key={count.key} data-testid="all-day-row">
                <Table.Td w={72} fw={800} ta="right">
                  {count.quantity} ×
                </Table.Td>
                <Table.Td>
                  {count.name}
                  {count.options !== '' && (
                    <Text size="sm" fw={600} c="indigo.9">
                      {count.options}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Drawer>
  );
}
