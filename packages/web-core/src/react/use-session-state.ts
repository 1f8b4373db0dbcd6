import { useSyncExternalStore } from 'react';
import type { SessionManager, SessionState } from '../auth/session-manager';

/** The app's session state, re-rendering on every change. */
export function useSessionState(session: SessionManager): SessionState {
  return useSyncExternalStore(session.subscribe, session.getState, session.getState);
}
