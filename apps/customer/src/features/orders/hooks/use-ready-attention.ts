import type { Order } from '@taproom/web-core/api/contracts';
import { useEffect, useRef } from 'react';
import { restoreAttention, showReady } from '@/lib/attention';

/**
 * While this page follows `order`: when it becomes ready (a live event), the tab's title and
 * favicon say so and the phone buzzes; the page is back to normal when the customer looks at it
 * again (the tab regains focus or becomes visible), when the order moves on, or on leaving.
 */
export function useReadyAttention(order: Order | undefined): void {
  const seen = useRef<Order['status'] | undefined>(undefined);
  const status = order?.status;
  const number = order?.number;

  useEffect(() => {
    if (status === undefined || number === undefined) return;
    const before = seen.current;
    seen.current = status;
    if (before === undefined || before === status) return;
    if (status === 'ready') showReady(number);
    else restoreAttention();
  }, [status, number]);

  useEffect(() => {
    const onVisible = (): void => {
      if (document.visibilityState === 'visible') restoreAttention();
    };
    window.addEventListener('focus', restoreAttention);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.removeEventListener('focus', restoreAttention);
      document.removeEventListener('visibilitychange', onVisible);
      restoreAttention();
    };
  }, []);
}
