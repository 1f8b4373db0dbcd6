import { describe, expect, it } from '@jest/globals';
import { MIGRATIONS } from './index.js';

describe('migrations', () => {
  const timestamps = MIGRATIONS.map((migration) => Number(/\d{13}$/.exec(migration.name)?.[0]));

  it('are named <Name><13-digit timestamp>, as TypeORM orders them', () => {
    for (const timestamp of timestamps) expect(Number.isFinite(timestamp)).toBe(true);
  });

  it('are listed in strictly increasing timestamp order, so every database applies them alike', () => {
    const sorted = [...timestamps].sort((a, b) => a - b);
    expect(timestamps).toEqual(sorted);
    expect(new Set(timestamps).size).toBe(timestamps.length);
  });
});
