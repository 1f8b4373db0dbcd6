import { Anchor, Text } from '@mantine/core';
import { SignInForm as SharedSignInForm } from '@taproom/web-core/ui/sign-in-form';
import { Link } from 'react-router';
import { session } from '@/lib/session';

/** Email and password; the refresh token comes back as this app's HttpOnly cookie. */
export function SignInForm({ onSignedIn }: { onSignedIn: () => void }) {
  return (
    <SharedSignInForm
      session={session}
      title="Sign in"
      onSignedIn={onSignedIn}
      forgotPasswordPath="/forgot-password"
      offerRemember
      footer={
        <Text ta="center" size="sm">
          New here?{' '}
          <Anchor component={Link} to="/register">
            Create an account
          </Anchor>
        </Text>
      }
    />
  );
}
