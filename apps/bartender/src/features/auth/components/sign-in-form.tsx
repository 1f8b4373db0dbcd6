import { Paper } from '@mantine/core';
import { SignInForm as SharedSignInForm } from '@taproom/web-core/ui/sign-in-form';
import { session } from '@/lib/session';

/** Email and password for a bartender or admin; the refresh token comes back as `rt_bartender`. */
export function SignInForm({ onSignedIn }: { onSignedIn: () => void }) {
  return (
    <Paper withBorder p="xl" maw={420} mx="auto" mt="xl">
      <SharedSignInForm
        session={session}
        title="Sign in to the bar"
        description="For bartenders and admins."
        onSignedIn={onSignedIn}
        forgotPasswordPath="/forgot-password"
      />
    </Paper>
  );
}
