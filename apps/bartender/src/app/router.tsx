import { createBrowserRouter, Navigate } from 'react-router';
import { AppLayout } from './app-layout';
import { RequireSignIn } from '@taproom/web-core/app/require-sign-in';
import { session } from '@/lib/session';
import { AccountRoute } from './routes/account';
import { NotFoundRoute } from './routes/not-found';
import { QueueRoute } from './routes/queue';
import {
  ForgotPasswordRoute,
  ResetPasswordRoute,
  SignOutEverywhereRoute,
} from './routes/password-reset';
import { SignInRoute } from './routes/sign-in';

export const router = createBrowserRouter(
  [
    {
      element: <AppLayout />,
      children: [
        { index: true, element: <Navigate to="/queue" replace /> },
        {
          path: 'queue',
          element: (
            <RequireSignIn session={session}>
              <QueueRoute />
            </RequireSignIn>
          ),
        },
        {
          path: 'account',
          element: (
            <RequireSignIn session={session}>
              <AccountRoute />
            </RequireSignIn>
          ),
        },
        { path: 'sign-in', element: <SignInRoute /> },
        { path: 'forgot-password', element: <ForgotPasswordRoute /> },
        { path: 'reset-password', element: <ResetPasswordRoute /> },
        { path: 'sign-out-everywhere', element: <SignOutEverywhereRoute /> },
        { path: '*', element: <NotFoundRoute /> },
      ],
    },
  ],
  { basename: '/bartender' },
);
