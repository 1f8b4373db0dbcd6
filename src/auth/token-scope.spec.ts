import { describe, expect, it } from '@jest/globals';
import { Reflector } from '@nestjs/core';
import { SessionOnly, TokenScope } from './auth.decorators.js';
import { tokenScopeOf } from './jwt-auth.guard.js';

@TokenScope('orders:read')
class ScopedController {
  list(): string {
    return 'route';
  }

  @SessionOnly()
  settings(): string {
    return 'route';
  }

  @TokenScope('orders:write')
  cancel(): string {
    return 'route';
  }
}

@SessionOnly()
class SessionController {
  @TokenScope('audit:read')
  readable(): string {
    return 'route';
  }

  other(): string {
    return 'route';
  }
}

class PlainController {
  route(): string {
    return 'route';
  }
}

const reflector = new Reflector();
const scopeOf = (controller: { prototype: object }, handler: string) =>
  tokenScopeOf(reflector, [
    (controller.prototype as Record<string, () => void>)[handler]!,
    controller as unknown as () => void,
  ]);

describe('the scope an API token needs for a route', () => {
  it('takes the controller’s scope for a handler that names none', () => {
    expect(scopeOf(ScopedController, 'list')).toBe('orders:read');
  });

  it('lets a handler’s own scope win over its controller’s', () => {
    expect(scopeOf(ScopedController, 'cancel')).toBe('orders:write');
    expect(scopeOf(SessionController, 'readable')).toBe('audit:read');
  });

  it('keeps a session-only handler session-only inside a scoped controller', () => {
    expect(scopeOf(ScopedController, 'settings')).toBeUndefined();
  });

  it('refuses tokens on routes that name no scope', () => {
    expect(scopeOf(SessionController, 'other')).toBeUndefined();
    expect(scopeOf(PlainController, 'route')).toBeUndefined();
  });
});
