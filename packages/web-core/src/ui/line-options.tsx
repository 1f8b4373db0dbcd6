import { Text } from '@mantine/core';
import type { OrderLineOption } from '../api/contracts';
import { optionsByGroup } from './options';

/** An order line's choices under its name, a group per line: "Size: Half". */
export function LineOptions({
  options,
}: {
  options: readonly Pick<OrderLineOption, 'groupName' | 'name'>[];
}) {
  if (options.length === 0) return null;
  return (
    <>
      {optionsByGroup(options).map(([group, names]) => (
        <Text key={group} size="sm" c="dimmed" data-testid="line-options">
          {group}:{' '}
          <Text span size="sm" c="var(--mantine-color-text)" fw={600}>
            {names.join(', ')}
          </Text>
        </Text>
      ))}
    </>
  );
}
