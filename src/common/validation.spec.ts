import { describe, expect, it } from '@jest/globals';
import { MAX_INPUT_DEPTH, unsafeInputReason } from './validation.js';

function nestedObjects(depth: number): unknown {
  let value: unknown = 1;
  for (let level = 0; level < depth; level += 1) value = { a: value };
  return value;
}

describe('unsafeInputReason', () => {
  it('lets ordinary input through', () => {
    expect(unsafeInputReason({ items: [{ menuItemId: 'x', quantity: 2, note: 'no ice' }] })).toBe(
      undefined,
    );
    expect(unsafeInputReason(undefined)).toBe(undefined);
    expect(unsafeInputReason('Ann 🍺 ünïcode')).toBe(undefined);
  });

  it(`accepts nesting up to ${MAX_INPUT_DEPTH} levels and refuses one more`, () => {
    expect(unsafeInputReason(nestedObjects(MAX_INPUT_DEPTH))).toBe(undefined);
    expect(unsafeInputReason(nestedObjects(MAX_INPUT_DEPTH + 1))).toMatch(/nested deeper/);
  });

  it('walks a hundred thousand levels without overflowing the stack', () => {
    let value: unknown = [];
    for (let level = 0; level < 100_000; level += 1) value = [value];
    expect(unsafeInputReason(value)).toMatch(/nested deeper/);
  });

  it('refuses NUL characters in values, in nested values and in property names', () => {
    expect(unsafeInputReason('a\u0000b')).toMatch(/NUL/);
    expect(unsafeInputReason({ lines: [{ note: '\u0000' }] })).toMatch(/NUL/);
    expect(unsafeInputReason({ ['na\u0000me']: 'x' })).toMatch(/NUL/);
  });
});
