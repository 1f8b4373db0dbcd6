import { useParams } from 'react-router';
import { RecentSignIns } from '@/features/audit/components/recent-sign-ins';
import { UserDevices } from '@/features/sessions/components/user-devices';
import { UserDetail } from '@/features/users/components/user-detail';

export default function UserRoute() {
  const { id = '' } = useParams();
  return (
    <UserDetail
      key={id}
      id={id}
      aside={(user) => <RecentSignIns user={user} />}
      below={(user) => <UserDevices user={user} />}
    />
  );
}
