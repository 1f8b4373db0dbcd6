import { Button, Code, CopyButton, Group, Text } from '@mantine/core';

/** An id where a detail view shows one: small, monospaced, with a copy button. */
export function IdWithCopy({ value, label }: { value: string; label?: string }) {
  return (
    <Group gap={6} component="span" wrap="nowrap" style={{ display: 'inline-flex' }}>
      {label !== undefined && (
        <Text span size="xs" c="dimmed">
          {label}
        </Text>
      )}
      <Code fz={11}>{value}</Code>
      <CopyButton value={value}>
        {({ copied, copy }) => (
          <Button size="compact-xs" variant="subtle" onClick={copy}>
            {copied ? 'Copied' : label === undefined ? 'Copy' : `Copy ${label.toLowerCase()}`}
          </Button>
        )}
      </CopyButton>
    </Group>
  );
}
