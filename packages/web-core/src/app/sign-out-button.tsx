import { Button, type ButtonProps } from '@mantine/core';
import { useState } from 'react';
import type { SessionManager } from '../auth/session-manager';

/** "Sign out": ends the session (busy meanwhile), then `onSignedOut` (go to sign-in, say). */
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
        void session.logout().finally(() => {
          setSigningOut(false);
          onSignedOut();
        });
      }}
    >
      Sign out
    </Button>
  );
}
