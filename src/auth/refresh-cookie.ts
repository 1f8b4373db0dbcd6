import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { APPS, type AppName } from './auth-context.js';

const REFRESH_COOKIE_PATH = '/api/auth';

function refreshCookieName(app: AppName): string {
  return `rt_${app}`;
}

/**
 * The `rt_<app>` refresh-token cookies: one per app, `HttpOnly`, `SameSite=Strict`,
 * `Path=/api/auth`, `Secure` unless `COOKIE_SECURE=false`.
 */
@Injectable()
export class RefreshCookie {
  constructor(@InjectConfig() private readonly config: AppConfig) {}

  read(request: FastifyRequest, app: AppName): string | undefined {
    const value = request.cookies[refreshCookieName(app)];
    return value === undefined || value === '' ? undefined : value;
  }

  /** Every `rt_<app>` cookie the request carries, by app. */
  readAll(request: FastifyRequest): Partial<Record<AppName, string>> {
    const found: Partial<Record<AppName, string>> = {};
    for (const app of APPS) {
      const value = this.read(request, app);
      if (value !== undefined) found[app] = value;
    }
    return found;
  }

  /** Without `expiresAt`, a browser-session cookie (no `Expires`, no `Max-Age`). */
  set(reply: FastifyReply, app: AppName, token: string, expiresAt: Date | undefined): void {
    void reply.setCookie(refreshCookieName(app), token, {
      ...this.attributes(),
      ...(expiresAt === undefined ? {} : { expires: expiresAt }),
    });
  }

  clear(reply: FastifyReply, app: AppName): void {
    void reply.clearCookie(refreshCookieName(app), this.attributes());
  }

  private attributes(): {
    httpOnly: true;
    sameSite: 'strict';
    path: string;
    secure: boolean;
  } {
    return {
      httpOnly: true,
      sameSite: 'strict',
      path: REFRESH_COOKIE_PATH,
      secure: this.config.cookieSecure,
    };
  }
}
