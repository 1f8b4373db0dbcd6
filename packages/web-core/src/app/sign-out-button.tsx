import { Button, type ButtonProps } from '@mantine/core';
import { useState } from 'react';
import type { SessionManager } from '../auth/session-manager';
import { clearDrafts } from '../react/use-draft';

/**
 * "Sign out": ends the session (busy meanwhile), throws away the person's unsaved drafts (they
 * chose to leave; a forced sign-out keeps them), then `onSignedOut` (go to sign-in, say).
 */
export function SignOutButton({
  session,
  onSignedOut,
  ...button
}: { session: SessionManager; onSignedOut: () => void } & Omit<ButtonProps, 'loading'>) {
  const [signingOut, setSigningOut] = useState(false);
  return (
    <Button
      {...button}
      loading={signingOut}
      onClick={() => {
        setSigningOut(true);
        const userId = session.getState().user?.id;
        void session.logout().finally(() => {
          clearDrafts(session.app, userId);
          setSigningOut(false);
          onSignedOut();
        });
      }}
    >
      Sign out
    </Button>
  );
}
