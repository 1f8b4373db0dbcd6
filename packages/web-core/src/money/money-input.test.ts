import { describe, expect, it } from 'vitest';
import { moneyInputOf, parseMoneyInput } from './money-input';

describe('money as typed', () => {
  it('reads amounts with a point or a comma, up to two decimals, without float drift', () => {
    expect(parseMoneyInput('12.50')).toBe(1250);
    expect(parseMoneyInput(' 12,5 ')).toBe(1250);
    expect(parseMoneyInput('12')).toBe(1200);
    expect(parseMoneyInput('12.')).toBe(1200);
    expect(parseMoneyInput('0.07')).toBe(7);
    expect(parseMoneyInput('0.29')).toBe(29);
    expect(parseMoneyInput('1.10')).toBe(110);
    expect(parseMoneyInput('0')).toBe(0);
  });

  it('is not an amount when it is not one', () => {
    for (const text of [
      '',
      ' ',
      '-1',
      '+1',
      '1.234',
      'abc',
      '1e3',
      '.5',
      '12.5.0',
      '12 50',
      '99999999',
    ]) {
      expect(parseMoneyInput(text)).toBeNull();
    }
  });

  it('writes cents back for editing, and reads its own writing', () => {
    expect(moneyInputOf(1250)).toBe('12.50');
    expect(moneyInputOf(7)).toBe('0.07');
    expect(moneyInputOf(0)).toBe('0.00');
    for (const cents of [0, 1, 9, 10, 99, 100, 101, 123_456]) {
      expect(parseMoneyInput(moneyInputOf(cents))).toBe(cents);
    }
  });
});
