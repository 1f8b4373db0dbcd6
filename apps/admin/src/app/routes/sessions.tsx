import { useSearchParams } from 'react-router';
import { SessionsAdmin } from '@/features/sessions/components/sessions-admin';
import { isUserId } from '@/lib/people';

export default function SessionsRoute() {
  const [params, setParams] = useSearchParams();
  return (
    <SessionsAdmin
      userId={isUserId(params.get('userId') ?? '') ? (params.get('userId') ?? '') : ''}
      onUserIdChange={(userId) => {
        setParams(userId === '' ? {} : { userId }, { replace: true });
      }}
    />
  );
}
