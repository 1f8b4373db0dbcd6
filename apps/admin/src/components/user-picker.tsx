import { Select, Stack, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import type { AdminUserView, Role } from '@taproom/web-core/api/contracts';
import { useState } from 'react';
import { usePeopleSearch, useUser } from '@/lib/people';

/** At most this many people are offered at once; typing more narrows them. */
const OFFERED = 8;

/**
 * Choose a person by name or email: type part of either, pick with the arrow keys and Enter (or
 * the mouse). The server does the searching, so it finds anyone among thousands; `value` is the
 * chosen user's id ('' for nobody), and the field shows their name even when the id came from
 * the address bar.
 */
export function UserPicker({
  label,
  value,
  onChange,
  role,
  placeholder = 'Name or email',
  w = 280,
}: {
  label: string;
  value: string;
  onChange: (user: AdminUserView | null) => void;
  role?: Role;
  placeholder?: string;
  w?: number;
}) {
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const chosen = useUser(value);
  const found = usePeopleSearch(q, OFFERED, role);
  const people = new Map<string, AdminUserView>();
  if (chosen.data) people.set(chosen.data.id, chosen.data);
  for (const user of found.data?.items ?? []) people.set(user.id, user);

  return (
    <Select
      label={label}
      placeholder={placeholder}
      size="md"
      w={w}
      searchable
      clearable
      value={value === '' ? null : value}
      searchValue={search}
      onSearchChange={setSearch}
      // The server has already matched name and email; the typed text need not appear in a label.
      filter={({ options }) => options}
      data={[...people.values()].map((user) => ({ value: user.id, label: user.name }))}
      renderOption={({ option }) => {
        const user = people.get(option.value);
        return (
          <Stack gap={0} miw={0}>
            <Text size="sm" truncate="end">
              {option.label}
            </Text>
            {user && (
              <Text size="xs" c="dimmed" truncate="end">
                {user.email} · {user.role}
              </Text>
            )}
          </Stack>
        );
      }}
      nothingFoundMessage={found.isFetching ? 'Searching…' : 'Nobody by that name or email'}
      onChange={(id) => {
        onChange(id === null ? null : (people.get(id) ?? null));
      }}
      // Wider than the field: names and emails are long.
      comboboxProps={{ withinPortal: true, width: 420, position: 'bottom-start' }}
    />
  );
}
