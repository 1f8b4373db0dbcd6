import { AccountPage } from '@taproom/web-core/account/account-page';
import { api, session } from '@/lib/session';

export default function AccountRoute() {
  return <AccountPage api={api} session={session} />;
}
