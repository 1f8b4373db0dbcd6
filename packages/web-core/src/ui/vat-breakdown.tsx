import { Group, Stack, Text } from '@mantine/core';
import type { VatLine } from '../api/contracts';
import { formatMoney } from './format';
import { formatVatRate } from './options';

/**
 * The VAT an order's total includes, one row per rate ("incl. VAT 20%  €1.83", with the net),
 * under the total. Nothing for an order without VAT lines.
 */
export function VatBreakdown({ vat, currency }: { vat: readonly VatLine[]; currency: string }) {
  if (vat.length === 0) return null;
  return (
    <Stack gap={0} data-testid="vat-breakdown" aria-label="VAT included">
      {vat.map((line) => (
        <Group
          key={line.rateBasisPoints}
          justify="space-between"
          wrap="nowrap"
          data-testid="vat-line"
        >
          <Text size="sm" c="dimmed">
            incl. VAT {formatVatRate(line.rateBasisPoints)}
            <Text span size="xs" c="dimmed">
              {' '}
              (net {formatMoney(line.netCents, currency)})
            </Text>
          </Text>
          <Text size="sm" c="dimmed" style={{ flexShrink: 0 }}>
            {formatMoney(line.vatCents, currency)}
          </Text>
        </Group>
      ))}
    </Stack>
  );
}
