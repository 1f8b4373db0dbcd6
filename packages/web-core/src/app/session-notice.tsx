import type { SessionManager } from '../auth/session-manager';
import { useSessionState } from '../react/use-session-state';
import { SignedOutNotice } from '../ui/signed-out-notice';

/** Why the app was signed out, above the page, until dismissed (nothing while signed in). */
export function SessionNotice({
  session,
  marginBottom = 16,
}: {
  session: SessionManager;
  marginBottom?: number;
}) {
  const { signedOutReason, lastIdleTimeoutSeconds } = useSessionState(session);
  if (signedOutReason === null) return null;
  return (
    <div style={{ marginBottom }}>
      <SignedOutNotice
        reason={signedOutReason}
        idleTimeoutSeconds={lastIdleTimeoutSeconds}
        onClose={() => {
          session.dismissNotice();
        }}
      />
    </div>
  );
}
