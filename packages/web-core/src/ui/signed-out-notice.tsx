import { Alert } from '@mantine/core';
import { signedOutMessage, type SignedOutReason } from '../auth/signed-out-reason';

/** Says why the app is signed out (another device, an admin, a password change, inactivity). */
export function SignedOutNotice({
  reason,
  idleTimeoutSeconds = null,
  onClose,
}: {
  reason: SignedOutReason | null;
  /** The session's idle timeout, so "inactivity" says how long. */
  idleTimeoutSeconds?: number | null;
  onClose?: () => void;
}) {
  const message = signedOutMessage(reason, idleTimeoutSeconds);
  if (message === null) return null;
  return (
    <Alert
      color="yellow"
      title="You are signed out"
      role="alert"
      withCloseButton={onClose !== undefined}
      closeButtonLabel="Dismiss"
      onClose={onClose}
      data-testid="signed-out-notice"
    >
      {message}
    </Alert>
  );
}
