import { useSessionState } from '@taproom/web-core/react/use-session-state';
import { Navigate, useNavigate } from 'react-router';
import { RegisterForm } from '@/features/auth/components/register-form';
import { session } from '@/lib/session';

export default function RegisterRoute() {
  const { status } = useSessionState(session);
  const navigate = useNavigate();
  if (status === 'signedIn') return <Navigate to="/" replace />;
  return <RegisterForm onRegistered={() => void navigate('/', { replace: true })} />;
}
