import { use } from 'react';
import { Dashboard } from '@/features/dashboard/components/dashboard';
import { ConnectionContext } from '../app-layout';

export function DashboardRoute() {
  return <Dashboard connection={use(ConnectionContext)} />;
}
