import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Code,
  CopyButton,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { asApiError } from '@taproom/web-core/api/api-client';
import type { ApiToken, ApiTokenScope, CreatedApiToken } from '@taproom/web-core/api/contracts';
import { confirmAction } from '@taproom/web-core/ui/confirm';
import { formatDateTime } from '@taproom/web-core/ui/format';
import { EmptyState, ErrorState, LoadingState } from '@taproom/web-core/ui/page-states';
import { useState, type SubmitEvent } from 'react';
import { toastDone, toastFailed } from '@/lib/toasts';
import { useApiTokens, useCreateApiToken, useRevokeApiToken } from '../api/api-tokens-api';
import {
  EXPIRY_CHOICES,
  type ExpiryChoice,
  expiresInDays,
  isExpired,
  SCOPES,
  scopeWords,
} from '../lib/scopes';

const NAME_MAX = 100;

/**
 * The admin's API tokens for integrations: make one (shown once), see what each may do and when
 * it was last used, and revoke it.
 */
export function ApiTokensAdmin() {
  const tokens = useApiTokens();
  const [created, setCreated] = useState<CreatedApiToken | null>(null);

  return (
    <Stack>
      <div>
        <Title order={1} size="h2">
          API tokens
        </Title>
        <Text c="dimmed" size="sm" maw={720}>
          A token lets a script or another system use Taproom’s API as you, limited to the
          permissions you give it. It cannot sign in to this console, and it stops working when it
          expires, when you revoke it, or if you stop being an admin.
        </Text>
      </div>
      {created !== null && (
        <NewTokenNotice
          created={created}
          onDone={() => {
            setCreated(null);
          }}
        />
      )}
      <CreateTokenForm onCreated={setCreated} />
      {tokens.isPending ? (
        <LoadingState label="Loading your tokens…" />
      ) : tokens.isError ? (
        <ErrorState
          title="Could not load your tokens"
          message={asApiError(tokens.error)?.message ?? ''}
          onRetry={() => void tokens.refetch()}
        />
      ) : tokens.data.length === 0 ? (
        <EmptyState title="No API tokens yet">
          Make one above for each system that needs to reach Taproom, so you can revoke them one by
          one.
        </EmptyState>
      ) : (
        <TokenList tokens={tokens.data} />
      )}
    </Stack>
  );
}

/** The new token, once: copy it now, it is never shown again. */
function NewTokenNotice({ created, onDone }: { created: CreatedApiToken; onDone: () => void }) {
  return (
    <Alert
      color="yellow"
      variant="light"
      title={`Copy the token “${created.name}” now`}
      data-testid="new-api-token"
    >
      <Stack gap="xs">
        <Text size="sm">
          This is the only time it is shown: Taproom keeps only a fingerprint of it. If you lose it,
          revoke it and make a new one.
        </Text>
        <Group gap="xs" wrap="nowrap" align="center">
          <Code
            block
            fz="sm"
            style={{ flex: 1, minWidth: 0, wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}
            aria-label="New API token"
          >
            {created.token}
          </Code>
        </Group>
        <Group gap="xs">
          <CopyButton value={created.token}>
            {({ copied, copy }) => (
              <Button color={copied ? 'green' : 'orange'} onClick={copy}>
                {copied ? 'Copied' : 'Copy token'}
              </Button>
            )}
          </CopyButton>
          <Button variant="default" onClick={onDone}>
            I have saved it
          </Button>
        </Group>
        <Text size="xs" c="dimmed">
          Send it as the header <Code>Authorization: Bearer tap_…</Code>
        </Text>
      </Stack>
    </Alert>
  );
}

function CreateTokenForm({ onCreated }: { onCreated: (created: CreatedApiToken) => void }) {
  const create = useCreateApiToken();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiTokenScope[]>([]);
  const [expiry, setExpiry] = useState<ExpiryChoice>('90');
  const [errors, setErrors] = useState<Record<string, string>>({});

  function check(): Record<string, string> {
    const found: Record<string, string> = {};
    if (name.trim() === '') {
      found.name = 'Please give the token a name, so you can recognise it later.';
    } else if (name.trim().length > NAME_MAX) {
      found.name = `Keep the name within ${String(NAME_MAX)} characters.`;
    }
    if (scopes.length === 0) found.scopes = 'Please choose at least one permission.';
    return found;
  }

  async function submit(event: SubmitEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const found = check();
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const days = expiresInDays(expiry);
    try {
      const created = await create.mutateAsync({
        name: name.trim(),
        scopes,
        ...(days === undefined ? {} : { expiresInDays: days }),
      });
      onCreated(created);
      toastDone(`Token “${created.name}” made. Copy it now.`);
      setName('');
      setScopes([]);
      setErrors({});
    } catch (caught) {
      const apiError = asApiError(caught);
      setErrors({
        ...apiError?.fieldErrors('apiToken'),
        form: apiError?.message ?? 'Could not make the token. Try again.',
      });
    }
  }

  const fieldError = errors.name ?? errors.scopes ?? errors.expiresInDays;
  return (
    <Paper withBorder p="md" component="form" onSubmit={(event) => void submit(event)} noValidate>
      <Stack gap="md">
        <Title order={2} size="h4">
          New token
        </Title>
        <Group align="start" wrap="wrap">
          <TextInput
            label="Name"
            description="What uses it, e.g. “Stock sync (back office)”"
            maxLength={NAME_MAX}
            style={{ flex: 1, minWidth: 220 }}
            value={name}
            onChange={(event) => {
              setName(event.currentTarget.value);
            }}
            error={errors.name}
          />
          <Select
            label="Expires after"
            description="It stops working then"
            data={EXPIRY_CHOICES.map((choice) => ({ value: choice.value, label: choice.label }))}
            value={expiry}
            allowDeselect={false}
            w={220}
            onChange={(value) => {
              if (value !== null) setExpiry(value);
            }}
            error={errors.expiresInDays}
          />
        </Group>
        <Checkbox.Group
          label="Permissions"
          description="Give it only what it needs."
          value={scopes}
          onChange={(value) => {
            setScopes(value);
          }}
          error={errors.scopes}
        >
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" mt="xs">
            {SCOPES.map((scope) => (
              <Checkbox
                key={scope}
                value={scope}
                label={scopeWords(scope).label}
                description={scopeWords(scope).description}
              />
            ))}
          </SimpleGrid>
        </Checkbox.Group>
        {errors.form !== undefined && fieldError === undefined && (
          <Alert color="red" role="alert">
            {errors.form}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={create.isPending}>
            Make token
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

function TokenList({ tokens }: { tokens: ApiToken[] }) {
  // When the page was opened: good enough to mark tokens that had expired by then.
  const [now] = useState(() => Date.now());
  return (
    <Paper withBorder>
      <Table.ScrollContainer minWidth={640}>
        <Table verticalSpacing="sm" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Permissions</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th>Expires</Table.Th>
              <Table.Th>Last used</Table.Th>
              <Table.Th ta="right">Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {tokens.map((token) => (
              <TokenRow key={token.id} token={token} now={now} />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

function TokenRow({ token, now }: { token: ApiToken; now: number }) {
  const revoke = useRevokeApiToken();
  const expired = isExpired(token.expiresAt, now);

  async function revokeToken(): Promise<void> {
    const yes = await confirmAction({
      title: `Revoke “${token.name}”?`,
      message:
        'Anything using this token is refused from its next request on. This cannot be undone: ' +
        'to reconnect it, make a new token.',
      confirmLabel: 'Revoke token',
    });
    if (!yes) return;
    try {
      await revoke.mutateAsync(token.id);
      toastDone(`Token “${token.name}” revoked.`);
    } catch (caught) {
      toastFailed(`Could not revoke “${token.name}”`, caught);
    }
  }

  return (
    <Table.Tr data-testid="api-token-row">
      <Table.Td maw={260}>
        <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
          {token.name}
        </Text>
      </Table.Td>
      <Table.Td>
        <Group gap={4}>
          {token.scopes.map((scope) => (
            <Badge key={scope} variant="light" color="gray" tt="none" title={scope}>
              {scopeWords(scope).label}
            </Badge>
          ))}
        </Group>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{formatDateTime(token.createdAt)}</Text>
      </Table.Td>
      <Table.Td>
        {token.expiresAt === null ? (
          <Text size="sm" c="dimmed">
            Never
          </Text>
        ) : expired ? (
          <Badge color="red" variant="light" tt="none">
            Expired {formatDateTime(token.expiresAt)}
          </Badge>
        ) : (
          <Text size="sm">{formatDateTime(token.expiresAt)}</Text>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="sm" c={token.lastUsedAt === null ? 'dimmed' : undefined}>
          {token.lastUsedAt === null ? 'Not used yet' : formatDateTime(token.lastUsedAt)}
        </Text>
      </Table.Td>
      <Table.Td ta="right">
        <Button
          size="xs"
          color="red"
          variant="light"
          loading={revoke.isPending}
          aria-label={`Revoke ${token.name}`}
          onClick={() => void revokeToken()}
        >
          Revoke
        </Button>
      </Table.Td>
    </Table.Tr>
  );
}
