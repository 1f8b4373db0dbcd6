import { useSearchParams } from 'react-router';
import { SessionsAdmin } from '@/features/sessions/components/sessions-admin';

export default function SessionsRoute() {
  const [params, setParams] = useSearchParams();
  return (
    <SessionsAdmin
      userId={params.get('userId') ?? ''}
      onUserIdChange={(userId) => {
        setParams(userId === '' ? {} : { userId }, { replace: true });
      }}
    />
  );
}
