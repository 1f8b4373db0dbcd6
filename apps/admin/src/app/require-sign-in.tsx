import { useSessionState } from '@taproom/web-core/react/use-session-state';
import { LoadingState } from '@taproom/web-core/ui/page-states';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { session } from '@/lib/session';

/** The console needs a signed-in admin: wait for the restore, else go to sign-in and back. */
export function RequireSignIn({ children }: { children: ReactNode }) {
  const { status } = useSessionState(session);
  const location = useLocation();
  if (status === 'restoring') return <LoadingState label="Signing you in…" />;
  if (status === 'signedOut') {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/sign-in?next=${next}`} replace />;
  }
  return children;
}
