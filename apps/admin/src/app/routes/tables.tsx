import { TablesAdmin } from '@/features/tables/components/tables-admin';

export default function TablesRoute() {
  return <TablesAdmin />;
}
