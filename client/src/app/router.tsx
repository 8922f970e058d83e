import { createBrowserRouter, Outlet } from 'react-router';
import { SignInPage } from '../features/auth/SignInPage';
import { SessionGate } from '../features/auth/SessionGate';
import { CustomersOnly, HomeRedirect, StaffOnly } from '../features/auth/RoleRoutes';
import { AgentShell } from '../features/shell/AgentShell';
import { InboxPage } from '../features/shell/InboxPage';
import { PortalShell } from '../features/shell/PortalShell';
import { PortalHome } from '../features/shell/PortalHome';
import { NotFoundPage } from '../features/shell/NotFoundPage';
import { CrashPage } from './CrashPage';

export const router = createBrowserRouter([
  {
    element: <Outlet />,
    errorElement: <CrashPage />,
    children: [
      { path: '/sign-in', element: <SignInPage /> },
      {
        element: <SessionGate />,
        children: [
          { index: true, element: <HomeRedirect /> },
          {
            element: <StaffOnly />,
            children: [{ element: <AgentShell />, children: [{ path: 'inbox', element: <InboxPage /> }] }],
          },
          {
            element: <CustomersOnly />,
            children: [{ element: <PortalShell />, children: [{ path: 'portal', element: <PortalHome /> }] }],
          },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);
