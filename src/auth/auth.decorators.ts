import {
  type CustomDecorator,
  type ExecutionContext,
  SetMetadata,
  applyDecorators,
  createParamDecorator,
} from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { ApiTokenScope } from '../api-tokens/api-token-scopes.js';
import type { FastifyRequest } from 'fastify';
import type { Role } from '../users/role.js';
import type { AuthContext } from './auth-context.js';

export const IS_PUBLIC = 'taproom:public';
export const REQUIRED_ROLES = 'taproom:roles';
export const TOKEN_SCOPE = 'taproom:token-scope';
export const SESSION_ONLY = 'taproom:session-only';
export const DURING_TWO_FACTOR_SETUP = 'taproom:during-two-factor-setup';

/** Opts a route out of the global bearer-token guard. */
export const Public = (): CustomDecorator => SetMetadata(IS_PUBLIC, true);

/** Restricts a route to these roles (checked after the token). */
export const Roles = (...roles: Role[]): CustomDecorator => SetMetadata(REQUIRED_ROLES, roles);

/**
 * Lets API tokens with `scope` call the route (sessions are not affected). The OpenAPI
 * operation says so in `x-token-scope`. A route without it refuses API tokens.
 */
export const TokenScope = (scope: ApiTokenScope): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(TOKEN_SCOPE, scope), ApiExtension('x-token-scope', scope));

/**
 * Says that API tokens may never call the route: only a signed-in session (`403 FORBIDDEN` for a
 * token). The OpenAPI operation says so in `x-session-only`.
 */
export const SessionOnly = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(SESSION_ONLY, true), ApiExtension('x-session-only', true));

/**
 * Lets a setup-only session (TWO_FACTOR_ADMIN=required, an admin without two-factor sign-in)
 * call the route: `me`, sign-out and the two-factor setup. Every other guarded route answers such
 * a session `403 FORBIDDEN` with `details.reason = "two_factor_setup_required"`.
 */
export const DuringTwoFactorSetup = (): CustomDecorator =>
  SetMetadata(DURING_TWO_FACTOR_SETUP, true);

/** The request's property where the guard puts the caller's {@link AuthContext}. */
export interface AuthenticatedRequest extends FastifyRequest {
  auth?: AuthContext;
}

/** The caller of a guarded route. */
export const CurrentAuth = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!request.auth) throw new Error('CurrentAuth used on a route without the auth guard');
  return request.auth;
});
