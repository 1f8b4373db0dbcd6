import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { CONFIG_VARIABLES } from './config.schema.js';

describe('README.md', () => {
  const readme = readFileSync('README.md', 'utf8');

  it('starts with the two commands', () => {
    const commands = readme.split('\n').slice(0, 6).join('\n');
    expect(commands).toContain('npm ci && npm start');
    expect(commands).toContain('npm ci && npm test');
  });

  it('documents every configuration variable', () => {
    const undocumented = CONFIG_VARIABLES.filter((name) => !readme.includes(`\`${name}\``));
    expect(undocumented).toEqual([]);
  });
});
