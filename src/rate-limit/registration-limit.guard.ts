import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { LoginThrottle } from './login-throttle.js';

/**
 * Counts a sign-up against `RATE_LIMIT_REGISTER_IP` per IP: put it on the registration route
 * (`@UseGuards(RegistrationLimitGuard)`); past the limit, `429 RATE_LIMITED` with `Retry-After`.
 */
@Injectable()
export class RegistrationLimitGuard implements CanActivate {
  constructor(private readonly throttle: LoginThrottle) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    await this.throttle.assertRegistrationAllowed(request.ip || null);
    return true;
  }
}
