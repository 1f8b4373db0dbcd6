import { Paper } from '@mantine/core';
import { SignInForm as SharedSignInForm } from '@taproom/web-core/ui/sign-in-form';
import { session } from '@/lib/session';

/** Email and password for an admin; the refresh token comes back as `rt_admin`. */
export function SignInForm({ onSignedIn }: { onSignedIn: () => void }) {
  return (
    <Paper withBorder p="xl" maw={420} mx="auto" mt="xl">
      <SharedSignInForm
        session={session}
        title="Sign in to Taproom Admin"
        description="Admins only. Signing in here ends your admin session on any other device."
        onSignedIn={onSignedIn}
        forgotPasswordPath="/forgot-password"
      />
    </Paper>
  );
}
