import { describe, expect, it } from '@jest/globals';
import { describeThrown } from './describe-thrown.js';

describe('describeThrown', () => {
  it('names what was thrown in one line, never [object Object]', () => {
    expect(describeThrown(new Error('disk full'))).toBe('disk full');
    expect(describeThrown({ message: 'ENOENT: no such file' })).toBe('ENOENT: no such file');
    expect(describeThrown({ code: 44, errno: 44 })).toBe('error 44');
    expect(describeThrown({ what: 'else' })).toBe('{"what":"else"}');
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(describeThrown(circular)).toBe('a thrown Object that cannot be printed');
    expect(describeThrown('plain')).toBe('plain');
  });
});
