import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { splitEvenly, vatBreakdown, vatIncluded } from './money.js';

describe('VAT included in a price', () => {
  it.each([
    // 5.00 at 20 %: 500 / 1.2 = 416.67 net, 83.33 VAT.
    [500, 2000, 83],
    // 6.00 at 20 %: exactly 100.
    [600, 2000, 100],
    // 1.00 at 7 %: 6.54… → 7 (half up of 6.542).
    [100, 700, 7],
    // 0.21 at 10 %: 1.909… → 2.
    [21, 1000, 2],
    // 0.11 at 10 %: 1.0 exactly.
    [11, 1000, 1],
    // 63 at 5 %: exactly 3.
    [63, 500, 3],
    [0, 2000, 0],
    [999, 0, 0],
  ])('%p cents at %p basis points hold %p cents of VAT', (gross, rate, vat) => {
    expect(vatIncluded(gross, rate)).toBe(vat);
  });

  it('rounds an exact half up', () => {
    // At 100 % a price holds half of itself: 1.5 → 2 and 0.5 → 1.
    expect(vatIncluded(3, 10_000)).toBe(2);
    expect(vatIncluded(1, 10_000)).toBe(1);
  });

  it('refuses fractions and negatives', () => {
    expect(() => vatIncluded(1.5, 2000)).toThrow(RangeError);
    expect(() => vatIncluded(-1, 2000)).toThrow(RangeError);
    expect(() => vatIncluded(100, -1)).toThrow(RangeError);
  });

  it('agrees with exact rational rounding', () => {
    fc.assert(
      fc.property(fc.nat(10_000_000), fc.nat(10_000), (gross, rate) => {
        const exact = (gross * rate) / (10_000 + rate);
        const vat = vatIncluded(gross, rate);
        expect(vat - exact).toBeLessThanOrEqual(0.5 + 1e-9);
        expect(exact - vat).toBeLessThan(0.5 + 1e-9);
      }),
    );
  });
});

describe('VAT per rate', () => {
  it('adds up to the gross to the cent over any basket', () => {
    const line = fc.record({
      grossCents: fc.nat(200_000),
      rateBasisPoints: fc.constantFrom(0, 550, 700, 1000, 1900, 2000, 2100),
    });
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), (lines) => {
        const shares = vatBreakdown(lines);
        const gross = lines.reduce((sum, l) => sum + l.grossCents, 0);
        const parts = shares.reduce((sum, s) => sum + s.netCents + s.vatCents, 0);
        expect(parts).toBe(gross);
        expect(new Set(shares.map((s) => s.rateBasisPoints)).size).toBe(shares.length);
      }),
    );
  });

  it('rounds each line on its own, lowest rate first', () => {
    expect(
      vatBreakdown([
        { grossCents: 500, rateBasisPoints: 2000 },
        { grossCents: 500, rateBasisPoints: 2000 },
        { grossCents: 100, rateBasisPoints: 700 },
      ]),
    ).toEqual([
      { rateBasisPoints: 700, netCents: 93, vatCents: 7 },
      // 83 + 83, not the 167 that rounding the sum of 1000 would give.
      { rateBasisPoints: 2000, netCents: 834, vatCents: 166 },
    ]);
  });
});

describe('splitting evenly', () => {
  it('gives the leftover cents to the first shares', () => {
    expect(splitEvenly(1000, 3)).toEqual([334, 333, 333]);
    expect(splitEvenly(2, 3)).toEqual([1, 1, 0]);
    expect(splitEvenly(0, 2)).toEqual([0, 0]);
  });

  it('always adds up to the total, shares a cent apart at most', () => {
    fc.assert(
      fc.property(fc.nat(10_000_000), fc.integer({ min: 1, max: 50 }), (total, parts) => {
        const shares = splitEvenly(total, parts);
        expect(shares).toHaveLength(parts);
        expect(shares.reduce((a, b) => a + b, 0)).toBe(total);
        expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('refuses nonsense', () => {
    expect(() => splitEvenly(100, 0)).toThrow(RangeError);
    expect(() => splitEvenly(-5, 2)).toThrow(RangeError);
  });
});
