import { Anchor } from '@mantine/core';
import { AccountPage } from '@taproom/web-core/account/account-page';
import { Link } from 'react-router';
import { api, session } from '@/lib/session';

export function AccountRoute() {
  return (
    <>
      <Anchor component={Link} to="/queue" size="sm">
        ← Back to the queue
      </Anchor>
      <AccountPage api={api} session={session} />
    </>
  );
}
