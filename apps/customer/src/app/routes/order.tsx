import { Alert, Anchor } from '@mantine/core';
import { Link, useParams } from 'react-router';
import { OrderStatusView } from '@/features/orders/components/order-status-view';
import { useReorder } from '../use-reorder';

export default function OrderRoute() {
  const { orderId = '' } = useParams();
  const reorder = useReorder();
  return (
    <>
      <Anchor component={Link} to="/orders" size="sm" mb="sm" display="inline-block">
        ← All orders
      </Anchor>
      {reorder.error !== null && (
        <Alert color="red" role="alert" mb="sm">
          {reorder.error}
        </Alert>
      )}
      <OrderStatusView
        key={orderId}
        orderId={orderId}
        onReorder={reorder.reorder}
        reorderDisabled={reorder.disabled}
      />
    </>
  );
}
