import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { MenuOptionGroup } from '../menu/option-groups.js';
import { cheapestUnitPriceCents } from '../menu/option-groups.js';
import { chooseOptions, describeOptionProblem, OPTION_PROBLEMS } from './order-options.js';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const item = {
  id: id(1),
  optionGroups: [
    {
      id: id(10),
      name: 'Size',
      min: 1,
      max: 1,
      options: [
        { id: id(11), name: 'Pint', priceDeltaCents: 0, available: true },
        { id: id(12), name: 'Half', priceDeltaCents: -250, available: true },
      ],
    },
    {
      id: id(20),
      name: 'Extras',
      min: 0,
      max: 2,
      options: [
        { id: id(21), name: 'Bacon', priceDeltaCents: 150, available: true },
        { id: id(22), name: 'Cheese', priceDeltaCents: 100, available: false },
        { id: id(23), name: 'Egg', priceDeltaCents: 120, available: true },
      ],
    },
  ],
};

describe('chooseOptions', () => {
  it('prices the choice and lists it in group, then option order', () => {
    expect(chooseOptions(item, [id(23), id(12), id(21)])).toEqual({
      ok: true,
      priceDeltaCents: -250 + 150 + 120,
      options: [
        { id: id(12), groupName: 'Size', name: 'Half', priceDeltaCents: -250 },
        { id: id(21), groupName: 'Extras', name: 'Bacon', priceDeltaCents: 150 },
        { id: id(23), groupName: 'Extras', name: 'Egg', priceDeltaCents: 120 },
      ],
    });
    expect(chooseOptions({ id: id(2), optionGroups: [] }, [])).toEqual({
      ok: true,
      priceDeltaCents: 0,
      options: [],
    });
  });

  it.each([
    [[], { groupId: id(10), groupName: 'Size', reason: 'too_few' }],
    [[id(11), id(12)], { groupId: id(10), groupName: 'Size', reason: 'too_many' }],
    [[id(11), id(21), id(23), id(21)], { optionId: id(21), reason: 'duplicate' }],
    [[id(11), id(99)], { optionId: id(99), reason: 'unknown_option' }],
    [
      [id(11), id(22)],
      { groupId: id(20), groupName: 'Extras', optionId: id(22), reason: 'unavailable' },
    ],
  ])('refuses %j', (options, problem) => {
    expect(chooseOptions(item, options)).toEqual({
      ok: false,
      problem: { menuItemId: item.id, ...problem },
    });
  });

  it('says every problem in words', () => {
    for (const reason of OPTION_PROBLEMS) {
      const text = describeOptionProblem(
        { menuItemId: item.id, groupName: 'Size', reason },
        'Pilsner',
      );
      expect(text).toMatch(/^[A-Z].*Pilsner.*\.$/);
    }
  });

  it('never goes below the cheapest price the groups allow (random menus and choices)', () => {
    const group = fc
      .array(fc.integer({ min: -500, max: 500 }), { minLength: 1, maxLength: 5 })
      .chain((deltas) =>
        fc.record({
          deltas: fc.constant(deltas),
          min: fc.integer({ min: 0, max: deltas.length }),
          extra: fc.integer({ min: 0, max: deltas.length }),
        }),
      );
    fc.assert(
      fc.property(
        fc.array(group, { minLength: 1, maxLength: 3 }),
        fc.array(fc.boolean(), { minLength: 15, maxLength: 15 }),
        (shapes, picks) => {
          let n = 100;
          const groups: MenuOptionGroup[] = shapes.map(({ deltas, min, extra }) => ({
            id: id(n++),
            name: `G${String(n)}`,
            min,
            max: Math.max(1, Math.min(deltas.length, min + extra)),
            options: deltas.map((priceDeltaCents) => ({
              id: id(n++),
              name: 'o',
              priceDeltaCents,
              available: true,
            })),
          }));
          const chosen = groups
            .flatMap((g) => g.options)
            .filter((_, index) => picks[index] === true)
            .map((o) => o.id);
          const choice = chooseOptions({ id: id(1), optionGroups: groups }, chosen);
          if (choice.ok) {
            expect(1000 + choice.priceDeltaCents).toBeGreaterThanOrEqual(
              cheapestUnitPriceCents(1000, groups),
            );
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
