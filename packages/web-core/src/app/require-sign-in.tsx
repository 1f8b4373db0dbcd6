import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import type { SessionManager } from '../auth/session-manager';
import { useSessionState } from '../react/use-session-state';
import { LoadingState } from '../ui/page-states';

/**
 * Pages that need a signed-in user of `session`: wait while the session is being restored,
 * else go to sign-in and come back (`?next=`) afterwards.
 */
export function RequireSignIn({
  session,
  children,
}: {
  session: SessionManager;
  children: ReactNode;
}) {
  const { status } = useSessionState(session);
  const location = useLocation();
  if (status === 'restoring') return <LoadingState label="Signing you in…" />;
  if (status === 'signedOut') {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/sign-in?next=${next}`} replace />;
  }
  return children;
}
