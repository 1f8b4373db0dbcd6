import { Alert, Title } from '@mantine/core';
import { useNavigate } from 'react-router';
import { OrderList } from '@/features/orders/components/order-list';
import { useReorder } from '../use-reorder';

export default function OrdersRoute() {
  const navigate = useNavigate();
  const reorder = useReorder();
  return (
    <>
      <Title order={1} size="h2" mb="md">
        Your orders
      </Title>
      {reorder.error !== null && (
        <Alert color="red" role="alert" mb="sm">
          {reorder.error}
        </Alert>
      )}
      <OrderList
        onOpen={(id) => void navigate(`/orders/${id}`)}
        onReorder={reorder.reorder}
        reorderDisabled={reorder.disabled}
      />
    </>
  );
}
