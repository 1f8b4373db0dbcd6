import { useNavigate } from 'react-router';
import { UsersAdmin } from '@/features/users/components/users-admin';

export default function UsersRoute() {
  const navigate = useNavigate();
  return (
    <UsersAdmin
      onShowSessions={(user) => void navigate(`/sessions?userId=${encodeURIComponent(user.id)}`)}
    />
  );
}
