import { describe, expect, it } from 'vitest';
import type { CartLine } from '@/lib/cart-store';
import { optionsInvalidWords } from './refusal-words';

const LINES: CartLine[] = [
  {
    id: 'l1',
    menuItemId: 'negroni',
    name: 'Negroni',
    priceCents: 1150,
    quantity: 1,
    note: '',
    options: [{ id: 'navy', groupName: 'Gin', name: 'Navy strength', priceDeltaCents: 150 }],
  },
];

describe('OPTIONS_INVALID in words', () => {
  it('names the item, the group and the choice', () => {
    expect(
      optionsInvalidWords(
        { menuItemId: 'negroni', groupName: 'Gin', optionId: 'navy', reason: 'unavailable' },
        LINES,
      ),
    ).toBe(
      'Negroni: “Navy strength” for “Gin” isn’t available right now. Remove it and choose something else.',
    );
    expect(
      optionsInvalidWords({ menuItemId: 'negroni', groupName: 'Gin', reason: 'too_few' }, LINES),
    ).toBe(
      'Negroni: please choose an option for “Gin”. Remove it and add it again with your choice.',
    );
    expect(
      optionsInvalidWords(
        { menuItemId: 'negroni', groupName: 'Extras', reason: 'too_many' },
        LINES,
      ),
    ).toBe('Negroni: too many options chosen for “Extras”. Remove it and add it again.');
  });

  it('still says something a person can act on when the details are thin', () => {
    expect(optionsInvalidWords({ reason: 'unknown_option' }, LINES)).toBe(
      'An item in your order: one of your choices is no longer on the menu. Remove it and add it again.',
    );
    expect(optionsInvalidWords(undefined, [])).toMatch(/^An item in your order: /);
  });
});
