import { createBrowserRouter, Navigate, Outlet } from 'react-router';
import { SignInPage } from '../features/auth/SignInPage';
import { SessionGate } from '../features/auth/SessionGate';
import { AdminOnly, CustomersOnly, HomeRedirect, StaffOnly } from '../features/auth/RoleRoutes';
import { AgentShell, type ShellHandle } from '../features/shell/AgentShell';
import { InboxPage } from '../features/inbox/InboxPage';
import { TicketPage } from '../features/tickets/TicketPage';
import { CreateTicketPage } from '../features/tickets/CreateTicketPage';
import { EmailSettingsPage } from '../features/settings/EmailSettingsPage';
import { TemplatesPage } from '../features/settings/TemplatesPage';
import { HeldMailPage } from '../features/held-mail/HeldMailPage';
import { SmtpIdentityPage } from '../features/account/SmtpIdentityPage';
import { PortalShell } from '../features/shell/PortalShell';
import { PortalHome } from '../features/portal/PortalHome';
import { PortalNewRequest } from '../features/portal/PortalNewRequest';
import { PortalTicketPage } from '../features/portal/PortalTicketPage';
import { NotFoundPage } from '../features/shell/NotFoundPage';
import { NotificationsPage } from '../features/notifications/NotificationsPage';
import { NotificationPreferencesPage } from '../features/notifications/NotificationPreferencesPage';
import { AutomationPage } from '../features/automation/AutomationPage';
import { LiveChatPage } from '../features/livechat/LiveChatPage';
import { LiveChatSettingsPage } from '../features/livechat/LiveChatSettingsPage';
import { CrashPage } from './CrashPage';
import { ManagersOnly } from '../features/auth/ManagersOnly';
import { SlaBoardPage } from '../features/sla/SlaBoardPage';
import { SlaSettingsPage } from '../features/sla/SlaSettingsPage';
import { ChatPage } from '../features/chat/ChatPage';

/** Pages that fill the window below the top bar and scroll inside themselves. */
const fullBleed: ShellHandle = { fullBleed: true };

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
            children: [
              {
                element: <AgentShell />,
                children: [
                  { path: 'inbox', element: <InboxPage />, handle: fullBleed },
                  { path: 'tickets/new', element: <CreateTicketPage /> },
                  { path: 'tickets/:id', element: <TicketPage />, handle: fullBleed },
                  { path: 'notifications', element: <NotificationsPage /> },
                  { path: 'notifications/preferences', element: <NotificationPreferencesPage /> },
                  { path: 'livechat', element: <LiveChatPage />, handle: fullBleed },
                  { path: 'livechat/:id', element: <LiveChatPage />, handle: fullBleed },
                  { path: 'held-mail', element: <HeldMailPage /> },
                  { path: 'account/email', element: <SmtpIdentityPage /> },
                  { path: 'chat', element: <ChatPage />, handle: fullBleed },
                  { path: 'chat/:channelId', element: <ChatPage />, handle: fullBleed },
                  {
                    element: <AdminOnly />,
                    children: [
                      { path: 'settings', element: <Navigate to="/settings/email" replace /> },
                      { path: 'settings/email', element: <EmailSettingsPage /> },
                      { path: 'settings/templates', element: <TemplatesPage /> },
                      { path: 'settings/livechat', element: <LiveChatSettingsPage /> },
                    ],
                  },
                  {
                    element: <ManagersOnly />,
                    children: [
                      { path: 'sla', element: <SlaBoardPage /> },
                      { path: 'sla/policies', element: <SlaSettingsPage /> },
                      { path: 'settings/automation', element: <AutomationPage /> },
                    ],
                  },
                ],
              },
            ],
          },
          {
            element: <CustomersOnly />,
            children: [
              {
                element: <PortalShell />,
                children: [
                  { path: 'portal', element: <PortalHome /> },
                  { path: 'portal/new', element: <PortalNewRequest /> },
                  { path: 'portal/tickets/:id', element: <PortalTicketPage /> },
                ],
              },
            ],
          },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);
