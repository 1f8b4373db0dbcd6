import { fieldMessage } from './field-words';

/**
 * What the browser can tell before sending, in the same words as the server's answers
 * ({@link fieldMessage}). Only the plain rules (empty, too short, clearly not an email): the server
 * stays the judge of the rest (common passwords, lookalike emails), and its answer is shown the
 * same way.
 */
export type FieldProblems = Record<string, string>;

/** Something, an @, something, a dot, something; no spaces. The server checks the rest. */
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Characters as people count them (code points), as the server counts them. */
const lengthOf = (text: string): number => Array.from(text).length;

export const CUSTOMER_PASSWORD_MIN = 10;
export const STAFF_PASSWORD_MIN = 15;
const PASSWORD_MAX = 128;
const NAME_MAX = 100;

function checkEmail(
  problems: FieldProblems,
  form: 'register' | 'signIn' | 'newUser' | 'passwordResetRequest',
  email: string,
): void {
  const typed = email.trim();
  if (typed === '') problems.email = fieldMessage(form, 'email', 'missing');
  else if (!EMAIL_SHAPE.test(typed)) problems.email = fieldMessage(form, 'email', 'notEmail');
}

function checkNewPassword(
  problems: FieldProblems,
  form: 'register' | 'changePassword' | 'newUser' | 'passwordResetConfirm',
  field: 'password' | 'newPassword',
  password: string,
  minimum: number,
): void {
  const words = (rule: 'missing' | 'tooShort' | 'tooLong', limit?: number): string =>
    // Each form names its password field one way; the words are the same.
    form === 'changePassword' || form === 'passwordResetConfirm'
      ? fieldMessage(form, 'newPassword', rule, limit)
      : fieldMessage(form, 'password', rule, limit);
  const length = lengthOf(password);
  if (length === 0) problems[field] = words('missing');
  else if (length < minimum) problems[field] = words('tooShort', minimum);
  else if (length > PASSWORD_MAX) problems[field] = words('tooLong', PASSWORD_MAX);
}

function checkName(problems: FieldProblems, form: 'register' | 'newUser', name: string): void {
  const typed = name.trim();
  if (typed === '') problems.name = fieldMessage(form, 'name', 'missing');
  else if (lengthOf(typed) > NAME_MAX)
    problems.name = fieldMessage(form, 'name', 'tooLong', NAME_MAX);
}

export function checkRegister(values: {
  name: string;
  email: string;
  password: string;
}): FieldProblems {
  const problems: FieldProblems = {};
  checkName(problems, 'register', values.name);
  checkEmail(problems, 'register', values.email);
  checkNewPassword(problems, 'register', 'password', values.password, CUSTOMER_PASSWORD_MIN);
  return problems;
}

export function checkSignIn(values: { email: string; password: string }): FieldProblems {
  const problems: FieldProblems = {};
  checkEmail(problems, 'signIn', values.email);
  if (values.password === '') problems.password = fieldMessage('signIn', 'password', 'missing');
  return problems;
}

export function checkPasswordResetRequest(values: { email: string }): FieldProblems {
  const problems: FieldProblems = {};
  checkEmail(problems, 'passwordResetRequest', values.email);
  return problems;
}

export function checkPasswordResetConfirm(
  values: { newPassword: string },
  minimum: number,
): FieldProblems {
  const problems: FieldProblems = {};
  checkNewPassword(problems, 'passwordResetConfirm', 'newPassword', values.newPassword, minimum);
  return problems;
}

export function checkChangePassword(
  values: { currentPassword: string; newPassword: string },
  minimum: number,
): FieldProblems {
  const problems: FieldProblems = {};
  if (values.currentPassword === '') {
    problems.currentPassword = fieldMessage('changePassword', 'currentPassword', 'missing');
  }
  checkNewPassword(problems, 'changePassword', 'newPassword', values.newPassword, minimum);
  return problems;
}

export function checkNewUser(
  values: { name: string; email: string; password: string },
  minimum: number,
): FieldProblems {
  const problems: FieldProblems = {};
  checkName(problems, 'newUser', values.name);
  checkEmail(problems, 'newUser', values.email);
  checkNewPassword(problems, 'newUser', 'password', values.password, minimum);
  return problems;
}
