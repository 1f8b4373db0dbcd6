import { LoadingState } from '@taproom/web-core/ui/page-states';
import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter } from 'react-router';
import { AppLayout } from './app-layout';
import { RequireSignIn } from '@taproom/web-core/app/require-sign-in';
import { session } from '@/lib/session';
import { DashboardRoute } from './routes/dashboard';
import { NotFoundRoute } from './routes/not-found';
import {
  ForgotPasswordRoute,
  ResetPasswordRoute,
  SignOutEverywhereRoute,
} from './routes/password-reset';
import { SignInRoute } from './routes/sign-in';

// The dashboard and sign-in come with the first load; each other page when first opened.
const OrdersRoute = lazy(() => import('./routes/orders'));
const OrderRoute = lazy(() => import('./routes/order'));
const MenuRoute = lazy(() => import('./routes/menu'));
const UsersRoute = lazy(() => import('./routes/users'));
const UserRoute = lazy(() => import('./routes/user'));
const SessionsRoute = lazy(() => import('./routes/sessions'));
const AuditRoute = lazy(() => import('./routes/audit'));
const SalesRoute = lazy(() => import('./routes/sales'));
const SettingsRoute = lazy(() => import('./routes/settings'));
const TablesRoute = lazy(() => import('./routes/tables'));
const TablesPrintRoute = lazy(() => import('./routes/tables-print'));
const ApiTokensRoute = lazy(() => import('./routes/api-tokens'));
const AccountRoute = lazy(() => import('./routes/account'));

function admin(page: ReactNode): ReactNode {
  return (
    <RequireSignIn session={session}>
      <Suspense fallback={<LoadingState />}>{page}</Suspense>
    </RequireSignIn>
  );
}

export const router = createBrowserRouter(
  [
    {
      element: <AppLayout />,
      children: [
        { index: true, element: admin(<DashboardRoute />) },
        { path: 'orders', element: admin(<OrdersRoute />) },
        { path: 'orders/:id', element: admin(<OrderRoute />) },
        { path: 'menu', element: admin(<MenuRoute />) },
        { path: 'users', element: admin(<UsersRoute />) },
        { path: 'users/:id', element: admin(<UserRoute />) },
        { path: 'sessions', element: admin(<SessionsRoute />) },
        { path: 'audit', element: admin(<AuditRoute />) },
        { path: 'sales', element: admin(<SalesRoute />) },
        { path: 'tables', element: admin(<TablesRoute />) },
        { path: 'tables/print', element: admin(<TablesPrintRoute />) },
        { path: 'settings', element: admin(<SettingsRoute />) },
        { path: 'api-tokens', element: admin(<ApiTokensRoute />) },
        { path: 'account', element: admin(<AccountRoute />) },
        { path: 'sign-in', element: <SignInRoute /> },
        { path: 'forgot-password', element: <ForgotPasswordRoute /> },
        { path: 'reset-password', element: <ResetPasswordRoute /> },
        { path: 'sign-out-everywhere', element: <SignOutEverywhereRoute /> },
        { path: '*', element: <NotFoundRoute /> },
      ],
    },
  ],
  { basename: '/admin' },
);
