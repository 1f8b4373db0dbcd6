import { Kbd, Modal, Table } from '@mantine/core';

const KEYS: readonly [keys: string[], what: string][] = [
  [['←', '→'], 'Move the selection to the lane on the left or right'],
  [['↑', '↓'], 'Move the selection up or down the lane'],
  [['Home', 'End'], 'First or last ticket of the lane'],
  [['Enter'], 'Move the selected ticket on (Accept, Start, Ready, Served)'],
  [['Backspace'], 'Move the selected ticket one step back'],
  [['A'], 'Mark every new order seen (stops the chime)'],
  [['?'], 'Show these keys'],
  [['Esc'], 'Close a dialog or drawer'],
];

/** The board's keys, for keyboards and bump bars. */
export function HelpOverlay({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title="Keyboard and bump bar"
      closeButtonProps={{ 'aria-label': 'Close the keys' }}
      size="lg"
    >
      <Table verticalSpacing={6}>
        <Table.Tbody>
          {KEYS.map(([keys, what]) => (
            <Table.Tr key={what}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                {keys.map((key, index) => (
                  <span key={key}>
                    {index > 0 && ' '}
                    <Kbd>{key}</Kbd>
                  </span>
                ))}
              </Table.Td>
              <Table.Td>{what}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Modal>
  );
}
