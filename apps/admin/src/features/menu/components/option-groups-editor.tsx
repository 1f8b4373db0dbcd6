import {
  ActionIcon,
  Button,
  Group,
  Paper,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { currencySymbol } from '@taproom/web-core/ui/options';
import { CURRENCY } from '@/config/app-config';
import {
  newOption,
  newOptionGroup,
  type OptionGroupValues,
  type OptionValues,
} from '../utils/menu-form';

/** The API's limits: at most 10 groups of at most 20 options. */
const MAX_GROUPS = 10;
const MAX_OPTIONS = 20;

/** `list` with the entry at `index` moved by `by` (−1 up, +1 down). */
function moved<T>(list: readonly T[], index: number, by: -1 | 1): T[] {
  const target = index + by;
  if (target < 0 || target >= list.length) return [...list];
  const next = [...list];
  const [entry] = next.splice(index, 1);
  if (entry !== undefined) next.splice(target, 0, entry);
  return next;
}

/** What the numbers mean, in words, under a group: "Guests must choose 1". */
function ruleWords(group: OptionGroupValues): string {
  const min = Number(group.min);
  const max = Number(group.max);
  if (!Number.isInteger(min) || !Number.isInteger(max) || group.min === '' || group.max === '') {
    return 'Minimum: how many a guest must choose (0: optional). Maximum: how many they may.';
  }
  if (min > max || max < 1) return 'The minimum must not be more than the maximum (at least 1).';
  if (min === 0) return `Optional: guests may choose up to ${String(max)}.`;
  if (min === max) return `Required: guests choose exactly ${String(min)}.`;
  return `Required: guests choose ${String(min)} to ${String(max)}.`;
}

function MoveButtons({
  what,
  index,
  count,
  onMove,
  onRemove,
}: {
  /** "group Size", "option Half": what the buttons' names say. */
  what: string;
  index: number;
  count: number;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}) {
  return (
    <Group gap={4} wrap="nowrap" style={{ flexShrink: 0 }}>
      <ActionIcon
        variant="default"
        size="lg"
        aria-label={`Move ${what} up`}
        disabled={index === 0}
        onClick={() => {
          onMove(-1);
        }}
      >
        ↑
      </ActionIcon>
      <ActionIcon
        variant="default"
        size="lg"
        aria-label={`Move ${what} down`}
        disabled={index === count - 1}
        onClick={() => {
          onMove(1);
        }}
      >
        ↓
      </ActionIcon>
      <ActionIcon
        variant="light"
        color="red"
        size="lg"
        aria-label={`Remove ${what}`}
        onClick={onRemove}
      >
        ✕
      </ActionIcon>
    </Group>
  );
}

function OptionRow({
  option,
  index,
  count,
  groupName,
  errorOf,
  at,
  onChange,
  onMove,
  onRemove,
}: {
  option: OptionValues;
  index: number;
  count: number;
  groupName: string;
  errorOf: (field: string) => string | undefined;
  /** `optionGroups.0.options.1`: where the API puts this option's errors. */
  at: string;
  onChange: (option: OptionValues) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}) {
  const label = option.name.trim() === '' ? `option ${String(index + 1)}` : `option ${option.name}`;
  const inGroup = groupName.trim() === '' ? '' : ` of ${groupName}`;
  const priceError = errorOf(`${at}.priceDeltaCents`);
  const priceErrorId = `${at}-price-error`;
  return (
    <Stack gap={2}>
      <Group align="flex-start" wrap="nowrap" gap="xs" data-testid="option-row">
        <TextInput
          style={{ flex: 1, minWidth: 0 }}
          aria-label={`Name of ${label}${inGroup}`}
          placeholder="Option, e.g. Half"
          value={option.name}
          error={errorOf(`${at}.name`)}
          onChange={(e) => {
            onChange({ ...option, name: e.currentTarget.value });
          }}
        />
        <TextInput
          w={130}
          style={{ flexShrink: 0 }}
          aria-label={`Price change of ${label}${inGroup} (${CURRENCY})`}
          placeholder="0.00"
          inputMode="decimal"
          leftSection={
            <Text size="sm" c="dimmed">
              {currencySymbol(CURRENCY)}
            </Text>
          }
          value={option.priceDelta}
          error={priceError !== undefined}
          aria-describedby={priceError === undefined ? undefined : priceErrorId}
          onChange={(e) => {
            onChange({ ...option, priceDelta: e.currentTarget.value });
          }}
        />
        <Switch
          mt={8}
          style={{ flexShrink: 0 }}
          label="On"
          aria-label={`${label}${inGroup} available`}
          checked={option.available}
          onChange={(e) => {
            onChange({ ...option, available: e.currentTarget.checked });
          }}
        />
        <MoveButtons what={label} index={index} count={count} onMove={onMove} onRemove={onRemove} />
      </Group>
      {priceError !== undefined && (
        <Text size="xs" c="red.8" id={priceErrorId}>
          {priceError}
        </Text>
      )}
    </Stack>
  );
}

function GroupEditor({
  group,
  index,
  count,
  errorOf,
  onChange,
  onMove,
  onRemove,
}: {
  group: OptionGroupValues;
  index: number;
  count: number;
  errorOf: (field: string) => string | undefined;
  onChange: (group: OptionGroupValues) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}) {
  const at = `optionGroups.${String(index)}`;
  const label = group.name.trim() === '' ? `group ${String(index + 1)}` : `group ${group.name}`;
  const optionsError = errorOf(`${at}.options`);
  const minError = errorOf(`${at}.min`);
  const maxError = errorOf(`${at}.max`);
  const limitsId = `${at}-limits`;
  const setOptions = (options: OptionValues[]): void => {
    onChange({ ...group, options });
  };
  return (
    <Paper
      withBorder
      p="sm"
      component="fieldset"
      m={0}
      style={{ minWidth: 0 }}
      data-testid="option-group-editor"
    >
      <VisuallyHidden component="legend">{`Option ${label}`}</VisuallyHidden>
      <Stack gap="xs">
        <Group align="flex-start" wrap="nowrap" gap="xs">
          <TextInput
            style={{ flex: 1, minWidth: 0 }}
            label="Group"
            placeholder="e.g. Size"
            value={group.name}
            error={errorOf(`${at}.name`)}
            onChange={(e) => {
              onChange({ ...group, name: e.currentTarget.value });
            }}
          />
          <TextInput
            w={72}
            style={{ flexShrink: 0 }}
            label="Min"
            inputMode="numeric"
            value={group.min}
            error={minError !== undefined}
            aria-describedby={limitsId}
            onChange={(e) => {
              onChange({ ...group, min: e.currentTarget.value });
            }}
          />
          <TextInput
            w={72}
            style={{ flexShrink: 0 }}
            label="Max"
            inputMode="numeric"
            value={group.max}
            error={maxError !== undefined}
            aria-describedby={limitsId}
            onChange={(e) => {
              onChange({ ...group, max: e.currentTarget.value });
            }}
          />
          <div style={{ marginTop: 25 }}>
            <MoveButtons
              what={label}
              index={index}
              count={count}
              onMove={onMove}
              onRemove={onRemove}
            />
          </div>
        </Group>
        {minError !== undefined || maxError !== undefined ? (
          <Text size="sm" c="red.8" mt={-4} id={limitsId} data-testid="group-limits-error">
            {[minError, maxError].filter((text) => text !== undefined).join(' ')}
          </Text>
        ) : (
          <Text size="xs" c="dimmed" mt={-4} id={limitsId}>
            {ruleWords(group)}
          </Text>
        )}
        {group.options.length > 0 && (
          <Group gap="xs" wrap="nowrap" aria-hidden>
            <Text size="xs" fw={700} c="dimmed" style={{ flex: 1 }}>
              Option
            </Text>
            <Text size="xs" fw={700} c="dimmed" w={130}>
              Price change
            </Text>
            <Text size="xs" fw={700} c="dimmed" w={186}>
              Available
            </Text>
          </Group>
        )}
        <Stack gap={6} role="list" aria-label={`Options of ${label}`}>
          {group.options.map((option, o) => (
            <div role="listitem" key={option.key}>
              <OptionRow
                option={option}
                index={o}
                count={group.options.length}
                groupName={group.name}
                at={`${at}.options.${String(o)}`}
                errorOf={errorOf}
                onChange={(next) => {
                  setOptions(group.options.map((entry, i) => (i === o ? next : entry)));
                }}
                onMove={(by) => {
                  setOptions(moved(group.options, o, by));
                }}
                onRemove={() => {
                  setOptions(group.options.filter((_, i) => i !== o));
                }}
              />
            </div>
          ))}
        </Stack>
        {optionsError !== undefined && (
          <Text size="sm" c="red.8" role="alert">
            {optionsError}
          </Text>
        )}
        <Group>
          <Button
            variant="subtle"
            size="compact-sm"
            disabled={group.options.length >= MAX_OPTIONS}
            onClick={() => {
              setOptions([...group.options, newOption()]);
            }}
          >
            + Add option{group.name.trim() === '' ? '' : ` to ${group.name}`}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

/**
 * An item's option groups: add, remove and reorder groups and their options; name, minimum,
 * maximum and price change (in the venue's currency). The API's errors show at their fields
 * (`optionGroups.<n>.options.<n>.name`).
 */
export function OptionGroupsEditor({
  groups,
  errorOf,
  onChange,
}: {
  groups: readonly OptionGroupValues[];
  errorOf: (field: string) => string | undefined;
  onChange: (groups: OptionGroupValues[]) => void;
}) {
  const listError = errorOf('optionGroups');
  return (
    <Stack gap="xs" component="section" aria-labelledby="option-groups-title">
      <div>
        <Title order={3} size="h5" id="option-groups-title">
          Options
        </Title>
        <Text size="xs" c="dimmed">
          Choices guests make, such as a size or extras. Price changes are added to the price
          (negative for less). Guests see groups and options in this order.
        </Text>
      </div>
      {groups.map((group, g) => (
        <GroupEditor
          key={group.key}
          group={group}
          index={g}
          count={groups.length}
          errorOf={errorOf}
          onChange={(next) => {
            onChange(groups.map((entry, i) => (i === g ? next : entry)));
          }}
          onMove={(by) => {
            onChange(moved(groups, g, by));
          }}
          onRemove={() => {
            onChange(groups.filter((_, i) => i !== g));
          }}
        />
      ))}
      {listError !== undefined && (
        <Text size="sm" c="red.8" role="alert">
          {listError}
        </Text>
      )}
      <Group>
        <Button
          variant="light"
          size="sm"
          disabled={groups.length >= MAX_GROUPS}
          onClick={() => {
            onChange([...groups, newOptionGroup()]);
          }}
        >
          + Add option group
        </Button>
      </Group>
    </Stack>
  );
}
