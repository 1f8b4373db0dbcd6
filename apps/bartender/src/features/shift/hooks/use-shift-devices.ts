import { useSyncExternalStore } from 'react';
import { chime, type ChimeState } from '@/lib/chime';
import { wakeLock, type WakeLockState } from '@/lib/wake-lock';

/** The chime's and the wake lock's state, re-rendering when either changes. */
export function useShiftDevices(): { sound: ChimeState; screen: WakeLockState } {
  const sound = useSyncExternalStore(chime.subscribe, chime.getState);
  const screen = useSyncExternalStore(wakeLock.subscribe, wakeLock.getState);
  return { sound, screen };
}
