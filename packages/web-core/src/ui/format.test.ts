import { describe, expect, it } from 'vitest';
import { formatTotal } from './format';

describe('formatTotal', () => {
  it('shows an exact total as it is', () => {
    expect(formatTotal({ total: 10_000, totalIsEstimate: false }, 'en')).toBe('10,000');
    expect(formatTotal({ total: 0, totalIsEstimate: false }, 'en')).toBe('0');
  });

  it('says an estimate is one, rounded to two significant digits', () => {
    expect(formatTotal({ total: 1_034_567, totalIsEstimate: true }, 'en')).toBe('about 1,000,000');
    expect(formatTotal({ total: 10_001, totalIsEstimate: true }, 'en')).toBe('about 10,000');
    expect(formatTotal({ total: 987_654, totalIsEstimate: true }, 'en')).toBe('about 990,000');
  });
});
