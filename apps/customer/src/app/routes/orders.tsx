import { Title } from '@mantine/core';
import { useNavigate } from 'react-router';
import { OrderList } from '@/features/orders/components/order-list';

export default function OrdersRoute() {
  const navigate = useNavigate();
  return (
    <>
      <Title order={1} size="h2" mb="md">
        Your orders
      </Title>
      <OrderList onOpen={(id) => void navigate(`/orders/${id}`)} />
    </>
  );
}
