import {
  PasswordResetConfirmPage,
  PasswordResetRequestPage,
  SignOutEverywherePage,
} from '@taproom/web-core/account/password-reset';
import { STAFF_PASSWORD_MIN } from '@taproom/web-core/api/form-checks';
import { api } from '@/lib/session';

/** `/forgot-password`: ask for a reset link by mail. */
export function ForgotPasswordRoute() {
  return <PasswordResetRequestPage api={api} signInPath="/sign-in" />;
}

/** `/reset-password?token=…`: the link in the reset mail. */
export function ResetPasswordRoute() {
  return (
    <PasswordResetConfirmPage
      api={api}
      signInPath="/sign-in"
      requestPath="/forgot-password"
      minimumLength={STAFF_PASSWORD_MIN}
    />
  );
}

/** `/sign-out-everywhere?token=…`: the link in a "New sign-in" mail. */
export function SignOutEverywhereRoute() {
  return <SignOutEverywherePage api={api} signInPath="/sign-in" requestPath="/forgot-password" />;
}
