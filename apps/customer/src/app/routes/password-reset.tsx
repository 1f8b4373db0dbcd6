import { passwordResetRoutes } from '@taproom/web-core/account/password-reset';
import { CUSTOMER_PASSWORD_MIN } from '@taproom/web-core/api/form-checks';
import { api } from '@/lib/session';

export const { ForgotPasswordRoute, ResetPasswordRoute, SignOutEverywhereRoute } =
  passwordResetRoutes(api, CUSTOMER_PASSWORD_MIN);
