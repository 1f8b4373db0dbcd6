import {
  type CustomDecorator,
  type ExecutionContext,
  SetMetadata,
  createParamDecorator,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Role } from '../users/role.js';
import type { AuthContext } from './auth-context.js';

export const IS_PUBLIC = 'taproom:public';
export const REQUIRED_ROLES = 'taproom:roles';

/** Opts a route out of the global bearer-token guard. */
export const Public = (): CustomDecorator => SetMetadata(IS_PUBLIC, true);

/** Restricts a route to these roles (checked after the token). */
export const Roles = (...roles: Role[]): CustomDecorator => SetMetadata(REQUIRED_ROLES, roles);

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
