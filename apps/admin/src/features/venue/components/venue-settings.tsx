import { Alert, Button, Group, NumberInput, Paper, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { asApiError } from '@taproom/web-core/api/api-client';
import { fieldMessage } from '@taproom/web-core/api/field-words';
import type { Venue, VenueChange } from '@taproom/web-core/api/contracts';
import { VENUE_QUERY_KEY, venueQuery } from '@taproom/web-core/app/venue-query';
import { ErrorState, LoadingState } from '@taproom/web-core/ui/page-states';
import { useState, type SubmitEvent } from 'react';
import { api } from '@/lib/session';

const minutes = (seconds: number): number => Math.round(seconds / 60);

/** The venue's settings: when tickets on the bar board turn amber and red; what config fixes. */
export function VenueSettings() {
  const venue = useQuery(venueQuery(api));
  if (venue.isPending) return <LoadingState label="Loading the settings…" />;
  if (venue.isError) {
    return (
      <ErrorState
        title="Could not load the settings"
        message={asApiError(venue.error)?.message ?? ''}
        onRetry={() => void venue.refetch()}
      />
    );
  }
  return (
    <Stack maw={640}>
      <Title order={1} size="h2">
        Settings
      </Title>
      {/* Keyed by the saved values: a change saved elsewhere resets the form to it. */}
      <TicketAgeForm
        key={`${String(venue.data.ticketAmberAfterSeconds)}-${String(venue.data.ticketRedAfterSeconds)}`}
        venue={venue.data}
      />
      <Paper withBorder p="md">
        <Stack gap={6}>
          <Title order={2} size="h4">
            Set by the server&apos;s configuration
          </Title>
          <Text size="sm">
            Stations: <b>{venue.data.stations.join(', ')}</b> (<code>STATIONS</code>)
          </Text>
          <Text size="sm">
            A served order can be recalled for <b>{minutes(venue.data.recallWindowSeconds)} min</b>{' '}
            (<code>RECALL_WINDOW</code>)
          </Text>
          <Text size="sm">
            Orders are{' '}
            <b>
              {venue.data.serviceMode === 'table'
                ? 'brought to the table'
                : 'collected at the bar by number'}
            </b>{' '}
            (<code>SERVICE_MODE</code>)
          </Text>
        </Stack>
      </Paper>
    </Stack>
  );
}

/** What the browser can tell about the two minute counts, in the API's words. */
function ticketAgeProblems(amber: string | number, red: string | number): Record<string, string> {
  const problems: Record<string, string> = {};
  const check = (
    field: 'ticketAmberAfterSeconds' | 'ticketRedAfterSeconds',
    value: string | number,
  ): void => {
    if (value === '') problems[field] = fieldMessage('venue', field, 'missing');
    else if (!Number.isInteger(Number(value)))
      problems[field] = fieldMessage('venue', field, 'notWhole');
    else if (Number(value) < 1) problems[field] = fieldMessage('venue', field, 'tooSmall');
    else if (Number(value) > 120) problems[field] = fieldMessage('venue', field, 'tooLarge');
  };
  check('ticketAmberAfterSeconds', amber);
  check('ticketRedAfterSeconds', red);
  if (Object.keys(problems).length === 0 && Number(amber) >= Number(red)) {
    problems.ticketRedAfterSeconds = fieldMessage('venue', 'ticketRedAfterSeconds', 'conflict');
  }
  return problems;
}

function TicketAgeForm({ venue }: { venue: Venue }) {
  const client = useQueryClient();
  const [amber, setAmber] = useState<string | number>(minutes(venue.ticketAmberAfterSeconds));
  const [red, setRed] = useState<string | number>(minutes(venue.ticketRedAfterSeconds));
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: async (change: VenueChange) =>
      (await api.patch<Venue>('/admin/venue', change)).data,
    onSuccess: (updated) => {
      client.setQueryData(VENUE_QUERY_KEY, updated);
      setSaved(true);
    },
  });
  const [problems, setProblems] = useState<Record<string, string>>({});
  const error = asApiError(save.error);
  const fieldErrors = { ...(error?.fieldErrors('venue') ?? {}), ...problems };

  function submit(event: SubmitEvent<HTMLFormElement>): void {
    event.preventDefault();
    setSaved(false);
    const found = ticketAgeProblems(amber, red);
    setProblems(found);
    if (Object.keys(found).length > 0) {
      save.reset();
      return;
    }
    save.mutate({
      ticketAmberAfterSeconds: Number(amber) * 60,
      ticketRedAfterSeconds: Number(red) * 60,
    });
  }

  return (
    <Paper withBorder p="md" component="form" onSubmit={submit} noValidate>
      <Stack gap="sm">
        <div>
          <Title order={2} size="h4">
            Bar board
          </Title>
          <Text size="sm" c="dimmed">
            How long a ticket may wait before the bar sees it turn amber, then red.
          </Text>
        </div>
        {error !== undefined && (
          <Alert color="red" role="alert">
            {error.message}
          </Alert>
        )}
        {saved && (
          <Alert color="green" role="status">
            Saved. Every bar board shows the new colours now.
          </Alert>
        )}
        <Group grow align="flex-start">
          <NumberInput
            label="Amber after (minutes)"
            min={1}
            max={120}
            allowDecimal={false}
            value={amber}
            error={fieldErrors.ticketAmberAfterSeconds}
            onChange={(value) => {
              setAmber(value);
              setSaved(false);
            }}
          />
          <NumberInput
            label="Red after (minutes)"
            min={1}
            max={120}
            allowDecimal={false}
            value={red}
            error={fieldErrors.ticketRedAfterSeconds}
            onChange={(value) => {
              setRed(value);
              setSaved(false);
            }}
          />
        </Group>
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending}>
            Save
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
