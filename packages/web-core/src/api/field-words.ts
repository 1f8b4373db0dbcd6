/**
 * Human words for invalid fields. A `VALIDATION_FAILED` answer lists `details: [{field, errors}]`
 * where `errors` are the validator's own sentences ("name must be longer than or equal to 1
 * characters"); those never reach a person. Each sentence is read for the rule it reports and the
 * limit it names ({@link problemOf}), and each form says, field by field, what to tell a person
 * about that rule ({@link FIELD_WORDS}). Client-side checks use the same words ({@link fieldMessage}).
 *
 * Pure and free of the app's runtime (only type imports, written with `.js` so the server's
 * compiler can follow them too: an e2e test runs this on the server's real answers).
 */
import type {
  CancelOrderDto,
  ChangePasswordDto,
  CreateOrderDto,
  CreateUserDto,
  LoginDto,
  OrderLineDto,
  RegisterDto,
  UpdateMenuItemDto,
  UpdateUserDto,
  UpdateVenueDto,
  CreateTableDto,
  UpdateTableDto,
  CreateApiTokenDto,
  PasswordResetConfirmDto,
  PasswordResetRequestDto,
  SignOutEverywhereDto,
  RecordPaymentDto,
  RecordRefundDto,
  TabPaymentDto,
} from './generated/types.gen.js';

/** What is wrong with a field, whatever words the validator used. */
export type Rule =
  /** Empty, absent, or not text at all. */
  | 'missing'
  /** Shorter than `limit` characters (or fewer than `limit` entries). */
  | 'tooShort'
  /** Longer than `limit` characters (or more than `limit` entries). */
  | 'tooLong'
  /** Below `limit`. */
  | 'tooSmall'
  /** Above `limit`. */
  | 'tooLarge'
  /** Not a whole number. */
  | 'notWhole'
  /** Not shaped like an email address. */
  | 'notEmail'
  /** An email with characters that could pass for others (mixed scripts, invisible ones). */
  | 'lookalike'
  /** A password on the list of commonly used ones. */
  | 'common'
  /** Not one of the values on offer. */
  | 'notOnOffer'
  /** Refers to something that does not exist (an item no longer on the menu). */
  | 'unknown'
  /** Not in the expected form (an allergen label with odd characters). */
  | 'pattern'
  /** Zero where only a change makes sense. */
  | 'zero'
  /** Does not fit together with another field. */
  | 'conflict'
  /** Anything else. */
  | 'other';

export interface Problem {
  rule: Rule;
  /** The number the validator named ("at least 15 characters" → 15), when it named one. */
  limit?: number;
}

/** Validator sentences by rule; the first capture group, if any, is the limit. */
const SENTENCES: readonly (readonly [RegExp, Rule])[] = [
  [/commonly used password/i, 'common'],
  [/must be an email/i, 'notEmail'],
  [
    /must not (?:use letters|use phonetic|mix letters|put combining|contain invisible|contain symbols)/i,
    'lookalike',
  ],
  [/longer than or equal to (\d+)/i, 'tooShort'],
  [/at least (\d+) characters/i, 'tooShort'],
  [/contain at least (\d+) elements/i, 'tooShort'],
  [/shorter than or equal to (\d+)/i, 'tooLong'],
  [/at most (\d+) characters/i, 'tooLong'],
  [/contain no more than (\d+) elements/i, 'tooLong'],
  // An option group's numbers that don't fit together (`min must not be greater than max`).
  [/must not be greater than (?:max|the number of options)/i, 'conflict'],
  [/not be less than (-?\d+)/i, 'tooSmall'],
  [/not be greater than (-?\d+)/i, 'tooLarge'],
  [/cannot go below 0|must not go below 0/i, 'tooSmall'],
  [/unlimited stock/i, 'conflict'],
  [/must be an integer|must be a number/i, 'notWhole'],
  [/should not be equal to/i, 'zero'],
  [
    /should not be empty|should not be null|must not be null|is required|must be a string|must be a boolean|must be an array|must be either object or array/i,
    'missing',
  ],
  [/must be one of/i, 'notOnOffer'],
  [/no such item|must be a UUID/i, 'unknown'],
  [/must be a short label|must match|must be on one line/i, 'pattern'],
  [/cannot be combined|amber before it turns red/i, 'conflict'],
];

/** The rule one validator sentence reports, with its limit. */
export function problemOf(sentence: string): Problem {
  for (const [pattern, rule] of SENTENCES) {
    const match = pattern.exec(sentence);
    if (match === null) continue;
    const limit = match[1] === undefined ? undefined : Number(match[1]);
    // "at least 1 character" is "empty": nothing was typed.
    if (rule === 'tooShort' && limit !== undefined && limit <= 1) return { rule: 'missing' };
    return limit === undefined ? { rule } : { rule, limit };
  }
  return { rule: 'other' };
}

/**
 * Which of a field's problems to tell: a field that was left empty fails every rule at once
 * ("must be a string", "longer than", "shorter than"), and "please enter it" is what helps.
 */
const RULE_ORDER: readonly Rule[] = [
  'missing',
  'notWhole',
  'notEmail',
  'lookalike',
  'tooShort',
  'tooLong',
  'tooSmall',
  'tooLarge',
  'zero',
  'common',
  'notOnOffer',
  'pattern',
  'unknown',
  'conflict',
  'other',
];

/** The problem to tell for one field, from all of its validator sentences. */
function mainProblem(sentences: readonly string[]): Problem {
  const problems = sentences.map(problemOf);
  const rank = (problem: Problem): number => RULE_ORDER.indexOf(problem.rule);
  return problems.sort((a, b) => rank(a) - rank(b))[0] ?? { rule: 'other' };
}

type Words = string | ((limit: number | undefined) => string);

/** What to say about one field: by rule where it matters, else `otherwise`. */
export type FieldWords = { otherwise: string } & Partial<Record<Rule, Words>>;

/** Said for a field no form describes. Still human: never the validator's text. */
export const UNKNOWN_FIELD_WORDS = 'Please check this field.';

/**
 * Words for every field of a request body a person fills in. `Untouched` names the fields no one
 * types (sent by the app itself): a field the server adds to the body fails to compile until it
 * has words or is named there.
 */
type WordsFor<Body, Untouched extends keyof Body = never> = Record<
  Exclude<keyof Body & string, Untouched>,
  FieldWords
>;

const EMAIL: FieldWords = {
  otherwise: 'That doesn’t look like an email address.',
  missing: 'Please enter your email address.',
  tooLong: 'That email address is too long.',
  lookalike:
    'That email address has characters that could pass for others. Please type it plainly.',
};

const newPassword = (minimum: number): FieldWords => ({
  otherwise: 'Please choose another password.',
  missing: 'Please choose a password.',
  tooShort: (limit) => `Use at least ${String(limit ?? minimum)} characters.`,
  tooLong: (limit) => `Use at most ${String(limit ?? 128)} characters.`,
  common: 'That password is too common — pick something less guessable.',
});

/** The token of a mailed link: used, expired, outdated or mangled, the person can only ask again. */
const LINK: FieldWords = {
  otherwise:
    'This link doesn’t work any more: it was used already, has expired, or the account changed since.',
  missing: 'This page needs the link from your email. Open the link from the mail again.',
  tooLong: 'This link looks damaged. Open the link from the mail again.',
};

const personName = (whose: 'your' | 'their'): FieldWords => ({
  otherwise: `Please check ${whose} name.`,
  missing: `Please enter ${whose} name.`,
  tooLong: (limit) => `Keep the name within ${String(limit ?? 100)} characters.`,
  pattern: 'Please write the name on one line, without special characters.',
});

const ROLE: FieldWords = {
  otherwise: 'Please choose a role.',
  notOnOffer: 'Please choose one of the roles on offer.',
};

const cancelReason: FieldWords = {
  otherwise: 'Please check the reason.',
  missing: 'Say why, so the customer knows.',
  tooLong: (limit) => `Keep the reason within ${String(limit ?? 280)} characters.`,
};

const paymentAmount: FieldWords = {
  otherwise: 'Enter an amount such as 12.50.',
  tooSmall: 'Enter an amount above zero.',
  tooLarge: 'That amount is too large.',
  notWhole: 'Enter an amount such as 12.50.',
};

const paymentWords = {
  method: { otherwise: 'Choose cash, card or other.' },
  amountCents: paymentAmount,
  tipCents: {
    otherwise: 'Enter a tip such as 2.00, or no tip.',
    tooSmall: 'A tip can’t be below zero.',
    tooLarge: 'That tip is too large.',
  },
} satisfies WordsFor<RecordPaymentDto>;

const ticketAge = (colour: 'amber' | 'red'): FieldWords => ({
  otherwise: `Please check when tickets turn ${colour}.`,
  missing: 'Enter a number of minutes.',
  notWhole: 'Enter a whole number of minutes.',
  tooSmall: 'A ticket turns colour after at least 1 minute.',
  tooLarge: 'A ticket turns colour within 2 hours (120 minutes).',
  conflict: 'Amber has to come first: give it fewer minutes than red.',
});

type OptionGroupBody = NonNullable<UpdateMenuItemDto['optionGroups']>[number];
/** The fields of an item's option groups and their options: `optionGroups.<n>.options.<n>.name`. */
type OptionGroupField =
  | `optionGroups.*.${Extract<keyof OptionGroupBody, string>}`
  | `optionGroups.*.options.*.${Extract<keyof OptionGroupBody['options'][number], string>}`;

/** The forms whose fields the server checks, and what to say about each field. */
export const FIELD_WORDS = {
  /** Customer app: create an account (also a guest's upgrade). */
  register: {
    name: personName('your'),
    email: EMAIL,
    password: newPassword(10),
  } satisfies WordsFor<RegisterDto>,
  /** Every app: sign in. */
  signIn: {
    email: { ...EMAIL, tooLong: 'That email address is too long to be right.' },
    password: {
      otherwise: 'Please check your password.',
      missing: 'Please enter your password.',
      tooLong: 'That password is too long to be right.',
    },
  } satisfies WordsFor<LoginDto, 'app' | 'refreshTransport' | 'remember'>,
  /** Every app: change one's own password. */
  changePassword: {
    currentPassword: {
      otherwise: 'Please check your current password.',
      missing: 'Please enter your current password.',
      tooLong: 'That password is too long to be right.',
    },
    newPassword: newPassword(10),
  } satisfies WordsFor<ChangePasswordDto>,
  /** Every app: ask for a password reset link. */
  passwordResetRequest: {
    email: EMAIL,
  } satisfies WordsFor<PasswordResetRequestDto>,
  /** Every app: set a new password with the link from the mail. */
  passwordResetConfirm: {
    token: LINK,
    newPassword: newPassword(10),
  } satisfies WordsFor<PasswordResetConfirmDto>,
  /** Every app: sign out everywhere with the link of a new sign-in mail. */
  signOutEverywhere: {
    token: LINK,
  } satisfies WordsFor<SignOutEverywhereDto>,
  /** Admin console: a new account (staff passwords are longer). */
  newUser: {
    name: personName('their'),
    email: EMAIL,
    role: ROLE,
    password: newPassword(15),
  } satisfies WordsFor<CreateUserDto>,
  /** Admin console: rename, change role, reset password. */
  editUser: {
    name: personName('their'),
    role: ROLE,
    password: newPassword(15),
  } satisfies WordsFor<UpdateUserDto, 'active'>,
  /** Admin console: create or edit a menu item, restock. */
  menuItem: {
    name: {
      otherwise: 'Please check the name.',
      missing: 'Please give the item a name.',
      tooLong: (limit) => `Keep the name within ${String(limit ?? 80)} characters.`,
    },
    description: {
      otherwise: 'Please check the description.',
      tooLong: (limit) => `Keep the description within ${String(limit ?? 500)} characters.`,
    },
    category: {
      otherwise: 'Please check the category.',
      missing: 'Please give the item a category, such as Beer.',
      tooLong: (limit) => `Keep the category within ${String(limit ?? 40)} characters.`,
    },
    priceCents: {
      otherwise: 'Enter a price such as 4.50.',
      tooSmall: 'A price can’t be below zero.',
      tooLarge: 'That price is too high (at most 10,000.00).',
    },
    stock: {
      otherwise: 'Enter a whole number, or leave empty for unlimited.',
      tooSmall: 'Stock can’t be below zero.',
      tooLarge: (limit) => `Stock goes up to ${(limit ?? 1_000_000).toLocaleString('en')}.`,
    },
    allergens: {
      otherwise: 'Please check the allergens.',
      tooLong: (limit) => `List at most ${String(limit ?? 20)} allergens.`,
      pattern: 'Allergens are short labels: letters, digits, spaces or dashes, up to 30 each.',
    },
    station: {
      otherwise: 'Please choose a station.',
      notOnOffer: 'Please choose one of the venue’s stations.',
    },
    stockDelta: {
      otherwise: 'Enter how many units arrived (or a negative number to write some off).',
      tooSmall: 'Stock can’t go below zero: write off at most what is left.',
      tooLarge: 'That would take the stock above 1,000,000.',
      conflict: 'This item has unlimited stock. Set a stock number first.',
    },
    vatRateBasisPoints: {
      otherwise: 'Enter the VAT rate as a percentage, such as 20 or 7.5.',
      missing: 'Enter the VAT rate as a percentage, such as 20 (0 for none).',
      tooSmall: 'A VAT rate can’t be below 0%.',
      tooLarge: 'A VAT rate can’t be above 100%.',
    },
    optionGroups: {
      otherwise: 'Please check the option groups.',
      tooSmall:
        'With these options the price could go below zero: make the reductions smaller or the price higher.',
      tooLong: (limit) => `An item has at most ${String(limit ?? 10)} option groups.`,
    },
    'optionGroups.*.id': {
      otherwise: 'This group was removed meanwhile. Close the form and open it again.',
    },
    'optionGroups.*.name': {
      otherwise: 'Please check the group’s name.',
      missing: 'Give the group a name, such as Size.',
      tooLong: (limit) => `Keep the group’s name within ${String(limit ?? 60)} characters.`,
    },
    'optionGroups.*.min': {
      otherwise: 'The minimum is how many a guest must choose: 0 up to the maximum.',
      notWhole: 'Enter a whole number (0 makes the group optional).',
      tooSmall: 'The minimum can’t be below 0.',
      tooLarge: 'The minimum can’t be more than the maximum or the number of options.',
      conflict: 'The minimum can’t be more than the maximum.',
    },
    'optionGroups.*.max': {
      otherwise: 'The maximum is how many a guest may choose: 1 up to the number of options.',
      notWhole: 'Enter a whole number (1 for a single choice).',
      tooSmall: 'The maximum is at least 1.',
      tooLarge: 'The maximum can’t be more than the number of options.',
      conflict: 'The maximum can’t be more than the number of options.',
    },
    'optionGroups.*.options': {
      otherwise: 'Please check the group’s options.',
      missing: 'Add at least one option to the group.',
      tooShort: 'Add at least one option to the group.',
      tooLong: (limit) => `A group has at most ${String(limit ?? 20)} options.`,
    },
    'optionGroups.*.options.*.id': {
      otherwise: 'This option was removed meanwhile. Close the form and open it again.',
    },
    'optionGroups.*.options.*.name': {
      otherwise: 'Please check the option’s name.',
      missing: 'Give the option a name, such as Half.',
      tooLong: (limit) => `Keep the option’s name within ${String(limit ?? 60)} characters.`,
    },
    'optionGroups.*.options.*.priceDeltaCents': {
      otherwise: 'Enter a price change such as 0.50 or -2.50 (0 for none).',
      notWhole: 'Enter a price change such as 0.50 or -2.50 (0 for none).',
      tooSmall: 'That takes too much off: the price with options can’t go below zero.',
      tooLarge: 'That price change is too high (at most 1,000.00).',
    },
    'optionGroups.*.options.*.available': {
      otherwise: 'Please check whether the option is available.',
    },
  } satisfies WordsFor<UpdateMenuItemDto, 'available' | 'sortOrder'> &
    Record<OptionGroupField, FieldWords>,
  /** Customer app: send an order. Lines are `items.<n>.<field>`. */
  order: {
    items: {
      otherwise: 'Please check your order.',
      missing: 'Add something to your order first.',
      tooShort: 'Add something to your order first.',
      tooLong: (limit) => `An order has at most ${String(limit ?? 30)} different items.`,
    },
    'items.*.menuItemId': {
      otherwise: 'This item is no longer on the menu. Please remove it.',
    },
    'items.*.quantity': {
      otherwise: 'Please check the quantity.',
      tooSmall: 'Order at least 1.',
      tooLarge: (limit) => `At most ${String(limit ?? 20)} of one item.`,
    },
    'items.*.note': {
      otherwise: 'Please check the note.',
      tooLong: (limit) => `Keep the note within ${String(limit ?? 140)} characters.`,
    },
    'items.*.options': {
      otherwise: 'Please check the choices for this item. Remove it and add it again.',
      tooLong: (limit) => `An item takes at most ${String(limit ?? 20)} choices.`,
    },
    tableNumber: {
      otherwise: 'Table numbers run from 1 to 999.',
    },
    note: {
      otherwise: 'Please check the note.',
      tooLong: (limit) => `Keep the note within ${String(limit ?? 280)} characters.`,
    },
  } satisfies WordsFor<CreateOrderDto> &
    Record<`items.*.${Extract<keyof OrderLineDto, string>}`, FieldWords>,
  /** Bar and console: cancel an order (and a customer's own cancel). */
  cancelOrder: { reason: cancelReason } satisfies WordsFor<CancelOrderDto>,
  /** Bar (and console): take a payment on an order, or on a tab. */
  payment: {
    ...paymentWords,
    orderIds: { otherwise: 'Some of the chosen orders are no longer on this tab. Choose again.' },
  } satisfies WordsFor<RecordPaymentDto> & WordsFor<TabPaymentDto, 'tableNumber' | 'customerId'>,
  /** Admin console: refund (part of) what was paid. */
  refund: {
    amountCents: paymentAmount,
    method: paymentWords.method,
    reason: {
      otherwise: 'Please check the reason.',
      missing: 'Say why: the books keep the reason.',
      tooLong: (limit) => `Keep the reason within ${String(limit ?? 280)} characters.`,
    },
  } satisfies WordsFor<RecordRefundDto>,
  /** Admin console: when tickets on the bar board change colour. */
  venue: {
    ticketAmberAfterSeconds: ticketAge('amber'),
    ticketRedAfterSeconds: ticketAge('red'),
  } satisfies WordsFor<UpdateVenueDto>,
  /** Admin console: a table guests scan to order. */
  table: {
    number: {
      otherwise: 'Table numbers run from 1 to 999.',
      missing: 'Please enter the table’s number.',
    },
    label: {
      otherwise: 'Please check the label.',
      tooLong: (limit) => `Keep the label within ${String(limit ?? 100)} characters.`,
    },
  } satisfies WordsFor<CreateTableDto> & WordsFor<UpdateTableDto>,
  apiToken: {
    name: {
      otherwise: 'Please check the name.',
      missing: 'Please give the token a name, so you can recognise it later.',
      tooLong: (limit) => `Keep the name within ${String(limit ?? 100)} characters.`,
    },
    scopes: {
      otherwise: 'Please choose at least one permission.',
    },
    expiresInDays: {
      otherwise: 'A token can last from 1 to 365 days.',
    },
  } satisfies WordsFor<CreateApiTokenDto>,
} as const;

export type FormName = keyof typeof FIELD_WORDS;
export type FieldOf<Form extends FormName> = keyof (typeof FIELD_WORDS)[Form] & string;

/** `items.3.quantity` → `items.*.quantity`: lines share their words. */
function pattern(field: string): string {
  return field.replace(/\.\d+(?=\.|$)/g, '.*');
}

function wordsOf(form: FormName, field: string): FieldWords | undefined {
  const words: Record<string, FieldWords | undefined> = FIELD_WORDS[form];
  return words[pattern(field)];
}

function say(words: FieldWords | undefined, problem: Problem): string {
  if (words === undefined) return UNKNOWN_FIELD_WORDS;
  const chosen = words[problem.rule] ?? words.otherwise;
  return typeof chosen === 'string' ? chosen : chosen(problem.limit);
}

/** The sentence for one field of a form and one rule (client-side checks use these). */
export function fieldMessage<Form extends FormName>(
  form: Form,
  field: FieldOf<Form>,
  rule: Rule,
  limit?: number,
): string {
  return say(wordsOf(form, field), limit === undefined ? { rule } : { rule, limit });
}

/** One entry of `VALIDATION_FAILED` details: `{field, errors}`. */
interface FieldDetail {
  field: string;
  errors: string[];
}

function fieldDetailsOf(details: unknown): FieldDetail[] {
  if (!Array.isArray(details)) return [];
  return details.flatMap((entry: unknown) => {
    if (typeof entry !== 'object' || entry === null) return [];
    const { field, errors } = entry as Record<string, unknown>;
    if (typeof field !== 'string') return [];
    const sentences = Array.isArray(errors)
      ? errors.filter((error): error is string => typeof error === 'string')
      : [];
    return [{ field, errors: sentences }];
  });
}

/**
 * `VALIDATION_FAILED` details as `{field: human sentence}`, in the words of `form`. Field paths
 * are kept as the server sent them (`items.2.quantity`); a field the form does not describe gets
 * {@link UNKNOWN_FIELD_WORDS}.
 */
export function humanFieldErrors(form: FormName, details: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { field, errors } of fieldDetailsOf(details)) {
    out[field] ??= say(wordsOf(form, field), mainProblem(errors));
  }
  return out;
}
