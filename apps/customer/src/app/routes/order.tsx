import { Anchor } from '@mantine/core';
import { Link, useParams } from 'react-router';
import { OrderStatusView } from '@/features/orders/components/order-status-view';

export default function OrderRoute() {
  const { orderId = '' } = useParams();
  return (
    <>
      <Anchor component={Link} to="/orders" size="sm" mb="sm" display="inline-block">
        ← All orders
      </Anchor>
      <OrderStatusView key={orderId} orderId={orderId} />
    </>
  );
}
