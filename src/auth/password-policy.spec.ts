import { describe, expect, it } from '@jest/globals';
import { AppError } from '../common/errors/app-error.js';
import { assertAcceptablePassword, passwordProblem } from './password-policy.js';

describe('password policy', () => {
  it('wants 10 characters for customers and 15 for staff', () => {
    expect(passwordProblem('nine-char', 'customer')).toMatch(/at least 10/);
    expect(passwordProblem('ten-chars!', 'customer')).toBeUndefined();
    expect(passwordProblem('fourteen-chars', 'bartender')).toMatch(/at least 15/);
    expect(passwordProblem('fourteen-chars', 'admin')).toMatch(/at least 15/);
    expect(passwordProblem('fifteen-chars!!', 'admin')).toBeUndefined();
  });

  it('allows at most 128 characters', () => {
    expect(passwordProblem('x'.repeat(128).replace(/^x/, 'y'), 'customer')).toBeUndefined();
    expect(passwordProblem('x'.repeat(129), 'customer')).toMatch(/at most 128/);
  });

  it('counts characters, not UTF-16 units', () => {
    expect(passwordProblem('🍺'.repeat(10), 'customer')).toBeUndefined();
    expect(passwordProblem('🍺'.repeat(9), 'customer')).toMatch(/at least 10/);
  });

  it('refuses commonly used passwords from a list of well over 10,000, in any case', () => {
    for (const common of ['1234567890', 'qwertyuiop', 'password123', 'Password123', 'QWERTYUIOP']) {
      expect(passwordProblem(common, 'customer')).toMatch(/commonly used/);
    }
    expect(passwordProblem('taproom-for-the-win-9', 'customer')).toBeUndefined();
  });

  it('throws VALIDATION_FAILED naming the field and the rule', () => {
    expect(() => {
      assertAcceptablePassword('short', 'customer', 'newPassword');
    }).toThrow(AppError);
    try {
      assertAcceptablePassword('short', 'customer', 'newPassword');
    } catch (error) {
      expect((error as AppError).code).toBe('VALIDATION_FAILED');
      expect((error as AppError).details).toEqual([
        { field: 'newPassword', errors: ['newPassword must be at least 10 characters long'] },
      ]);
    }
  });
});
