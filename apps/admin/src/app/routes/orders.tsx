import { OrdersAdmin } from '@/features/orders/components/orders-admin';

export default function OrdersAdminRoute() {
  return <OrdersAdmin />;
}
