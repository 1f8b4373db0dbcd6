import { dictionary } from '@zxcvbn-ts/language-common';
import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { type Role, STAFF_ROLES } from '../users/role.js';

export const PASSWORD_MAX_LENGTH = 128;
const PASSWORD_MIN_LENGTH = 10;
const STAFF_PASSWORD_MIN_LENGTH = 15;

let commonPasswords: ReadonlySet<string> | undefined;

/** zxcvbn-ts's list of commonly used passwords (about 49,000), loaded on first use. */
function isCommon(password: string): boolean {
  commonPasswords ??= new Set(dictionary['passwords-common']);
  return commonPasswords.has(password.toLowerCase());
}

function minimumPasswordLength(role: Role): number {
  return STAFF_ROLES.includes(role) ? STAFF_PASSWORD_MIN_LENGTH : PASSWORD_MIN_LENGTH;
}

/** The rule a password breaks for an account of this role, or `undefined` when it is fine. */
export function passwordProblem(password: string, role: Role): string | undefined {
  // Characters as people count them (code points), not UTF-16 units.
  const length = Array.from(password).length;
  const min = minimumPasswordLength(role);
  if (length < min) return `must be at least ${min} characters long`;
  if (length > PASSWORD_MAX_LENGTH) {
    return `must be at most ${PASSWORD_MAX_LENGTH} characters long`;
  }
  if (isCommon(password)) return 'is one of the most commonly used passwords; choose another';
  return undefined;
}

/** Throws `VALIDATION_FAILED` naming the rule (and the field) when the password is not allowed. */
export function assertAcceptablePassword(password: string, role: Role, field = 'password'): void {
  const problem = passwordProblem(password, role);
  if (problem === undefined) return;
  throw new AppError(ErrorCode.VALIDATION_FAILED, `${field} ${problem}`, [
    { field, errors: [`${field} ${problem}`] },
  ]);
}
