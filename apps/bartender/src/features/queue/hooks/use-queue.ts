import { useSyncExternalStore } from 'react';
import { queueStore, type QueueState } from '../stores/queue-store';

/** The queue's state, re-rendering on every change. */
export function useQueue(): QueueState {
  return useSyncExternalStore(queueStore.subscribe, queueStore.getState, queueStore.getState);
}
