import type { AppName } from '../auth/auth-context.js';
import type { Role } from '../users/role.js';
import type { SessionEntity } from './entities/session.entity.js';

/** A session as the API shows it (contract: Sessions). */
export interface SessionView {
  id: string;
  app: AppName;
  userAgent: string | null;
  device: string;
  ip: string | null;
  createdAt: string;
  lastActiveAt: string;
  /** When the session ends if it is not used before (activity pushes it on, up to `expiresAt`). */
  idleExpiresAt: string;
  expiresAt: string;
  current: boolean;
}

/** The session part of login, refresh and `me` answers. */
export interface SessionSummary {
  id: string;
  app: AppName;
  /** When the session ends if nothing happens before: what an inactivity warning counts down to. */
  idleExpiresAt: string;
  expiresAt: string;
  /** How far activity pushes `idleExpiresAt` on (the role's idle timeout). */
  idleTimeoutSeconds: number;
}

interface SessionUserView {
  id: string;
  /** Null for a guest. */
  email: string | null;
  name: string;
  role: Role;
}

export interface AdminSessionView extends SessionView {
  user: SessionUserView;
}

export function toSessionView(session: SessionEntity, currentSessionId?: string): SessionView {
  return {
    id: session.id,
    app: session.app,
    userAgent: session.userAgent,
    device: session.device,
    ip: session.ip,
    createdAt: session.createdAt.toISOString(),
    lastActiveAt: session.lastActiveAt.toISOString(),
    idleExpiresAt: session.idleExpiresAt.toISOString(),
    expiresAt: session.expiresAt.toISOString(),
    current: session.id === currentSessionId,
  };
}

export function toSessionSummary(
  session: Pick<SessionEntity, 'id' | 'app' | 'expiresAt'>,
  idleExpiresAt: Date,
  idleTimeoutSeconds: number,
): SessionSummary {
  return {
    id: session.id,
    app: session.app,
    idleExpiresAt: idleExpiresAt.toISOString(),
    expiresAt: session.expiresAt.toISOString(),
    idleTimeoutSeconds,
  };
}
