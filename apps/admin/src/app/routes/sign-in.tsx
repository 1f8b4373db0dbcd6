import { useSessionState } from '@taproom/web-core/react/use-session-state';
import { LoadingState } from '@taproom/web-core/ui/page-states';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { SignInForm } from '@/features/auth/components/sign-in-form';
import { session } from '@/lib/session';
import { safeNext } from '@taproom/web-core/app/safe-next';

export function SignInRoute() {
  const { status } = useSessionState(session);
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const next = safeNext(params.get('next'), '/');
  if (status === 'restoring') return <LoadingState label="Signing you in…" />;
  if (status === 'signedIn') return <Navigate to={next} replace />;
  return <SignInForm onSignedIn={() => void navigate(next, { replace: true })} />;
}
