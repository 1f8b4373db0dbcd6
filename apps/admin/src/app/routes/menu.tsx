import { MenuAdmin } from '@/features/menu/components/menu-admin';

export default function MenuAdminRoute() {
  return <MenuAdmin />;
}
