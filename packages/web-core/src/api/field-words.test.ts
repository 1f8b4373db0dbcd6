import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from './contracts';
import { CODE_WORDS, messageForCode, type MessageCode } from './error-messages';
import {
  FIELD_WORDS,
  UNKNOWN_FIELD_WORDS,
  fieldMessage,
  humanFieldErrors,
  problemOf,
  type FormName,
  type Rule,
} from './field-words';
import { checkChangePassword, checkNewUser, checkRegister, checkSignIn } from './form-checks';

/** A sentence a person can read: capital first, a full stop last, no code or placeholder. */
function expectHuman(text: string): void {
  expect(text).toMatch(/^[A-Z].*[.!?]$/);
  expect(text).not.toMatch(/undefined|NaN|null|[A-Z]{3,}_[A-Z]/);
}

const ANNOUNCED: readonly MessageCode[] = [
  'ACCOUNT_DISABLED',
  'TOTP_REQUIRED',
  'TOTP_INVALID',
  'TABLE_UNKNOWN',
  'GUEST_LIMIT',
  'OPTIONS_INVALID',
  'PAYMENT_EXCEEDS_BALANCE',
  'MAIL_UNAVAILABLE',
];

describe('words for error codes', () => {
  it.each([...ERROR_CODES, ...ANNOUNCED, 'NETWORK' as const])('%s has human words', (code) => {
    expect(Object.keys(CODE_WORDS)).toContain(code);
    expectHuman(messageForCode(code));
    expectHuman(messageForCode(code, { retryAfterSeconds: 5 }));
  });

  it('gives every code its own words, apart from the two ways a sign-in lapses', () => {
    const texts = Object.entries(CODE_WORDS)
      .filter(([code]) => code !== 'TOKEN_EXPIRED')
      .map(([code]) => messageForCode(code as MessageCode));
    expect(new Set(texts).size).toBe(texts.length);
  });

  it('says how long to wait after too many tries, from Retry-After', () => {
    expect(messageForCode('RATE_LIMITED', { retryAfterSeconds: 42 })).toBe(
      'Too many tries — wait 42 seconds.',
    );
    expect(messageForCode('RATE_LIMITED', { retryAfterSeconds: 0.4 })).toBe(
      'Too many tries — wait 1 second.',
    );
    expect(messageForCode('RATE_LIMITED', { retryAfterSeconds: 125 })).toBe(
      'Too many tries — wait 3 minutes.',
    );
    expect(messageForCode('RATE_LIMITED')).toBe('Too many tries — wait a moment and try again.');
  });

  it('names the network and the server plainly', () => {
    expect(messageForCode('NETWORK')).toBe('Can’t reach Taproom — check your connection.');
    expect(messageForCode('INTERNAL')).toBe('Something went wrong on our side. Please try again.');
  });
});

/**
 * `VALIDATION_FAILED` details as the server sends them (class-validator's default sentences and
 * the server's own rules, copied from its answers); test/e2e/human-words checks them against the
 * live server.
 */
const SERVER_ANSWERS: readonly {
  form: FormName;
  details: { field: string; errors: string[] }[];
}[] = [
  {
    form: 'register',
    details: [
      {
        field: 'email',
        errors: ['email must be shorter than or equal to 254 characters', 'email must be an email'],
      },
      {
        field: 'name',
        errors: [
          'name must be shorter than or equal to 100 characters',
          'name must be longer than or equal to 1 characters',
          'name must be a string',
        ],
      },
      { field: 'password', errors: ['password must be a string'] },
    ],
  },
  {
    form: 'register',
    details: [{ field: 'password', errors: ['password must be at least 10 characters long'] }],
  },
  {
    form: 'newUser',
    details: [
      {
        field: 'password',
        errors: ['password is one of the most commonly used passwords; choose another'],
      },
      {
        field: 'role',
        errors: ['role must be one of the following values: customer, bartender, admin'],
      },
      {
        field: 'email',
        errors: ['email must not mix letters of lookalike scripts (Latin and Cyrillic, say)'],
      },
    ],
  },
  {
    form: 'menuItem',
    details: [
      { field: 'name', errors: ['name must be shorter than or equal to 80 characters'] },
      {
        field: 'priceCents',
        errors: ['priceCents must not be less than 0'],
      },
      {
        field: 'allergens',
        errors: ['each allergen must be a short label (1-30 letters, digits, spaces or dashes)'],
      },
      { field: 'station', errors: ['station must be one of: bar, kitchen'] },
      { field: 'stockDelta', errors: ['stockDelta cannot be combined with stock'] },
    ],
  },
  {
    form: 'order',
    details: [
      { field: 'items.0.quantity', errors: ['quantity must not be greater than 20'] },
      { field: 'items.1.note', errors: ['note must be shorter than or equal to 140 characters'] },
      { field: 'items.2.menuItemId', errors: ['no such item on the menu'] },
      { field: 'tableNumber', errors: ['tableNumber must not be greater than 999'] },
      { field: 'note', errors: ['note must be shorter than or equal to 280 characters'] },
    ],
  },
  {
    form: 'cancelOrder',
    details: [{ field: 'reason', errors: ['reason is required when staff cancel an order'] }],
  },
  {
    form: 'venue',
    details: [
      { field: 'ticketRedAfterSeconds', errors: ['A ticket must turn amber before it turns red.'] },
    ],
  },
];

describe('words for invalid fields', () => {
  it.each(SERVER_ANSWERS.map((answer) => [answer.form, answer] as const))(
    '%s: every field of a real answer gets a human sentence, not the validator’s',
    (form, answer) => {
      const words = humanFieldErrors(form, answer.details);
      for (const { field, errors } of answer.details) {
        const sentence = words[field];
        expect(sentence).toBeDefined();
        expectHuman(sentence ?? '');
        expect(sentence).not.toBe(UNKNOWN_FIELD_WORDS);
        for (const raw of errors) expect(sentence).not.toContain(raw);
        expect(sentence).not.toMatch(/must be|should not|characters long|following values/);
      }
    },
  );

  it('says the sentences the apps promise', () => {
    const say = (form: FormName, field: string, sentence: string): string | undefined =>
      humanFieldErrors(form, [{ field, errors: [sentence] }])[field];
    expect(say('register', 'email', 'email must be an email')).toBe(
      'That doesn’t look like an email address.',
    );
    expect(say('register', 'name', 'name must be longer than or equal to 1 characters')).toBe(
      'Please enter your name.',
    );
    expect(say('register', 'password', 'password must be at least 10 characters long')).toBe(
      'Use at least 10 characters.',
    );
    expect(say('newUser', 'password', 'password must be at least 15 characters long')).toBe(
      'Use at least 15 characters.',
    );
    expect(
      say(
        'register',
        'password',
        'password is one of the most commonly used passwords; choose another',
      ),
    ).toBe('That password is too common — pick something less guessable.');
    expect(say('order', 'items.4.quantity', 'quantity must not be greater than 20')).toBe(
      'At most 20 of one item.',
    );
    expect(
      say('order', 'items.0.note', 'note must be shorter than or equal to 140 characters'),
    ).toBe('Keep the note within 140 characters.');
    expect(say('order', 'tableNumber', 'tableNumber must not be less than 1')).toBe(
      'Table numbers run from 1 to 999.',
    );
  });

  it('falls back to a human sentence for what it does not know', () => {
    expect(
      humanFieldErrors('register', [
        { field: 'name', errors: ['name has a brand-new problem'] },
        { field: 'nickname', errors: ['property nickname should not exist'] },
      ]),
    ).toEqual({ name: 'Please check your name.', nickname: UNKNOWN_FIELD_WORDS });
    expect(humanFieldErrors('register', { not: 'a list' })).toEqual({});
  });

  it('reads the limit the server names', () => {
    expect(problemOf('password must be at least 15 characters long')).toEqual({
      rule: 'tooShort',
      limit: 15,
    });
    expect(problemOf('stockDelta must not be less than -1000000')).toEqual({
      rule: 'tooSmall',
      limit: -1000000,
    });
    expect(problemOf('something new')).toEqual({ rule: 'other' });
  });

  it('has a human sentence for every rule of every field, with or without a limit', () => {
    const rules: Rule[] = [
      'missing',
      'tooShort',
      'tooLong',
      'tooSmall',
      'tooLarge',
      'notWhole',
      'notEmail',
      'lookalike',
      'common',
      'notOnOffer',
      'unknown',
      'pattern',
      'zero',
      'conflict',
      'other',
    ];
    for (const form of Object.keys(FIELD_WORDS) as FormName[]) {
      for (const field of Object.keys(FIELD_WORDS[form])) {
        for (const rule of rules) {
          const details = [{ field, errors: ['x'] }];
          expectHuman(humanFieldErrors(form, details)[field] ?? '');
          expectHuman(fieldMessage(form, field as never, rule));
          expectHuman(fieldMessage(form, field as never, rule, 12));
        }
      }
    }
  });
});

describe('checks before sending', () => {
  it('use the same words as the server’s answers', () => {
    expect(checkRegister({ name: ' ', email: 'ann@', password: 'short' })).toEqual({
      name: 'Please enter your name.',
      email: 'That doesn’t look like an email address.',
      password: 'Use at least 10 characters.',
    });
    expect(
      checkRegister({ name: 'Ann', email: 'ann@example.com', password: 'long enough!' }),
    ).toEqual({});
    expect(checkSignIn({ email: '', password: '' })).toEqual({
      email: 'Please enter your email address.',
      password: 'Please enter your password.',
    });
    expect(checkChangePassword({ currentPassword: 'x', newPassword: 'twelve chars' }, 15)).toEqual({
      newPassword: 'Use at least 15 characters.',
    });
    expect(
      checkNewUser({ name: 'Sam', email: 'sam@bar.example', password: '🍺'.repeat(15) }, 15),
    ).toEqual({});
  });
});

describe('an item’s option groups', () => {
  it('says at each group and option field what the server found, in words', () => {
    const errors = humanFieldErrors('menuItem', [
      { field: 'optionGroups.0.min', errors: ['min must not be greater than max'] },
      {
        field: 'optionGroups.1.max',
        errors: ['max must not be greater than the number of options'],
      },
      {
        field: 'optionGroups.0.options.2.priceDeltaCents',
        errors: ['priceDeltaCents must not be greater than 100000'],
      },
      {
        field: 'optionGroups.0.options.0.name',
        errors: ['name must be longer than or equal to 1 characters'],
      },
      {
        field: 'optionGroups',
        errors: ['a choice of options would make the price -50 cents; it must not go below 0'],
      },
      {
        field: 'vatRateBasisPoints',
        errors: ['vatRateBasisPoints must not be greater than 10000'],
      },
    ]);
    expect(errors).toEqual({
      'optionGroups.0.min': 'The minimum can’t be more than the maximum.',
      'optionGroups.1.max': 'The maximum can’t be more than the number of options.',
      'optionGroups.0.options.2.priceDeltaCents':
        'That price change is too high (at most 1,000.00).',
      'optionGroups.0.options.0.name': 'Give the option a name, such as Half.',
      optionGroups:
        'With these options the price could go below zero: make the reductions smaller or the price higher.',
      vatRateBasisPoints: 'A VAT rate can’t be above 100%.',
    });
    Object.values(errors).forEach(expectHuman);
  });
});
