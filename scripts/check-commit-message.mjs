/**
 * The commit-msg hook (.husky/commit-msg): a subject line of at most 72 characters, then, when
 * there is a body, a blank line before it. Git's own comment lines (#) are ignored.
 */
import { readFileSync } from 'node:fs';

const SUBJECT_MAX = 72;
const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: check-commit-message.mjs <commit message file>\n');
  process.exit(2);
}
const lines = readFileSync(file, 'utf8')
  .split('\n')
  .filter((line) => !line.startsWith('#'));
const [subject = '', second] = lines;
const problems = [];
if (subject.trim() === '') problems.push('the subject line is empty');
// Merges and reverts keep the subject git writes for them.
const generated = /^(Merge|Revert) /.test(subject);
if (!generated && [...subject].length > SUBJECT_MAX) {
  problems.push(`the subject has ${[...subject].length} characters; at most ${SUBJECT_MAX}`);
}
if (second !== undefined && second.trim() !== '') {
  problems.push('a blank line must separate the subject from the body');
}
if (problems.length > 0) {
  process.stderr.write(`commit message: ${problems.join('; ')}.\nPut the why in the body.\n`);
  process.exit(1);
}
