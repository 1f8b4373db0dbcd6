import { useParams } from 'react-router';
import { OrderDetail } from '@/features/orders/components/order-detail';

export default function OrderRoute() {
  const { id = '' } = useParams();
  return <OrderDetail key={id} id={id} />;
}
