import { describe, expect, it } from '@jest/globals';
import type { AuditEventEntity } from './entities/audit-event.entity.js';
import { toSignInView } from './sign-in-view.js';

function entry(overrides: Partial<AuditEventEntity>): AuditEventEntity {
  return {
    id: 'e1',
    seq: '1',
    type: 'login_succeeded',
    at: new Date('2026-12-06T21:04:00Z'),
    userId: 'u1',
    sessionId: 's1',
    ip: '203.0.113.9',
    details: {},
    ...overrides,
  };
}

describe('toSignInView', () => {
  it('shows when, from which device and address, and whether it worked; nothing else', () => {
    const view = toSignInView(
      entry({
        type: 'login_failed',
        details: { device: 'Firefox on Windows', email: 'sam@example.com', app: 'customer' },
      }),
    );
    expect(view).toEqual({
      at: '2026-12-06T21:04:00.000Z',
      device: 'Firefox on Windows',
      ip: '203.0.113.9',
      succeeded: false,
    });
  });

  it('reads an entry written before device labels were kept as an unknown device', () => {
    expect(toSignInView(entry({ details: { app: 'admin' } })).device).toBe('Unknown device');
    expect(toSignInView(entry({ details: { device: 42 } })).device).toBe('Unknown device');
    expect(toSignInView(entry({})).succeeded).toBe(true);
  });
});
