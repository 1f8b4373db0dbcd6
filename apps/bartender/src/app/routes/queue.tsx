import { useCallback, useMemo, useSyncExternalStore } from 'react';
import { useMenu } from '@/features/menu/api/menu-api';
import { useQueueSync } from '@/features/queue/hooks/use-queue-sync';
import { QueueBoard } from '@/features/queue/components/queue-board';
import { liveStream } from '@/lib/live-events';

const NONE: readonly string[] = [];

export function QueueRoute() {
  const connection = useSyncExternalStore(liveStream.subscribe, liveStream.getState);
  useQueueSync(connection);
  const menu = useMenu();
  const allergens = useMemo(
    () => new Map((menu.data ?? []).map((item) => [item.id, item.allergens])),
    [menu.data],
  );
  const allergensOf = useCallback((id: string) => allergens.get(id) ?? NONE, [allergens]);
  return <QueueBoard allergensOf={allergensOf} />;
}
