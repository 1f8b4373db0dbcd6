import { describe, expect, it } from '@jest/globals';
import { preparedStatement } from './sql-rows.js';

describe('prepared statement names', () => {
  it('are the same for the same text, so a connection parses it once', () => {
    expect(preparedStatement('order_place', 'SELECT $1::int').name).toBe(
      preparedStatement('order_place', 'SELECT $1::int').name,
    );
  });

  it('differ when the text differs, however little', () => {
    const names = new Set(
      ['SELECT $1::int', 'SELECT $1::int ', 'SELECT $1::bigint'].map(
        (text) => preparedStatement('order_place', text).name,
      ),
    );
    expect(names.size).toBe(3);
  });

  it('start with the prefix and fit in an identifier', () => {
    const { name, text } = preparedStatement('order_start', 'SELECT 1');
    expect(name).toMatch(/^order_start_[0-9a-f]{16}$/);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(text).toBe('SELECT 1');
  });
});
