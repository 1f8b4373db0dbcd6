import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter } from 'react-router';
import { LoadingState } from '@taproom/web-core/ui/page-states';
import { AppLayout } from './app-layout';
import { RequireSignIn } from '@taproom/web-core/app/require-sign-in';
import { session } from '@/lib/session';
import { MenuRoute } from './routes/menu';
import { NotFoundRoute } from './routes/not-found';
import {
  ForgotPasswordRoute,
  ResetPasswordRoute,
  SignOutEverywhereRoute,
} from './routes/password-reset';
import { SignInRoute } from './routes/sign-in';

// The menu and sign-in come with the first load; the rest is fetched when first opened.
const CartRoute = lazy(() => import('./routes/cart'));
const OrdersRoute = lazy(() => import('./routes/orders'));
const OrderRoute = lazy(() => import('./routes/order'));
const AccountRoute = lazy(() => import('./routes/account'));
const RegisterRoute = lazy(() => import('./routes/register'));
const TableLinkRoute = lazy(() => import('./routes/table-link'));

function later(page: ReactNode, signedIn = false): ReactNode {
  const content = <Suspense fallback={<LoadingState />}>{page}</Suspense>;
  return signedIn ? <RequireSignIn session={session}>{content}</RequireSignIn> : content;
}

export const router = createBrowserRouter([
  {
    element: <AppLayout />,
    children: [
      { index: true, element: <MenuRoute /> },
      { path: 'cart', element: later(<CartRoute />) },
      { path: 'orders', element: later(<OrdersRoute />, true) },
      { path: 'orders/:orderId', element: later(<OrderRoute />, true) },
      { path: 'account', element: later(<AccountRoute />, true) },
      { path: 'sign-in', element: <SignInRoute /> },
      { path: 'forgot-password', element: <ForgotPasswordRoute /> },
      { path: 'reset-password', element: <ResetPasswordRoute /> },
      { path: 'sign-out-everywhere', element: <SignOutEverywhereRoute /> },
      { path: 'register', element: later(<RegisterRoute />) },
      { path: 't/:token', element: later(<TableLinkRoute />) },
      { path: '*', element: <NotFoundRoute /> },
    ],
  },
]);
