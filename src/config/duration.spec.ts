import { describe, expect, it } from '@jest/globals';
import { parseDurationSeconds } from './duration.js';

describe('parseDurationSeconds', () => {
  it.each([
    ['600', 600],
    ['45s', 45],
    ['10m', 600],
    ['12h', 43_200],
    ['90d', 7_776_000],
    [' 30m ', 1800],
  ])('reads %p as %p seconds', (text, seconds) => {
    expect(parseDurationSeconds(text)).toBe(seconds);
  });

  it.each(['', '-5', '1.5m', '10 minutes', 'm', '10w'])('rejects %p', (text) => {
    expect(parseDurationSeconds(text)).toBeUndefined();
  });
});
