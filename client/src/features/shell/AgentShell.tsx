import { Link, Outlet, useLocation, useMatches } from 'react-router';
import { useSocketStatus } from '../../app/socket-status';
import {
  InboxIcon,
  LogoMark,
  MailIcon,
  MessageIcon,
  NavItem,
  SettingsIcon,
  UserIcon,
  WifiOffIcon,
  ZapIcon,
  cx,
} from '../../shared/ui';
import { canManageAutomation } from '../automation/AutomationPage';
import { isAdmin } from '../auth/roles';
import { canReviewHeldMail } from '../held-mail/HeldMailPage';
import { useViewer } from '../auth/viewer';
import { NotificationBell } from '../notifications/NotificationBell';
import { UserMenu } from './UserMenu';
import { SlaNavigation } from '../sla/SlaNavigation';
import { ChatProvider } from '../chat/ChatContext';
import { ChatDock, ChatToggle } from '../chat/ChatDock';
import { LiveChatNavLink } from '../livechat/LiveChatNavLink';
import './shell.css';

/** Route `handle` of agent pages: `fullBleed` pages fill the window and scroll inside themselves. */
export interface ShellHandle {
  fullBleed?: boolean;
}

function isShellHandle(value: unknown): value is ShellHandle {
  return typeof value === 'object' && value !== null && 'fullBleed' in value;
}

/** Saved views of the inbox; only what works is listed, each feature adds its entry when it ships. */
const navigation = [
  { to: '/inbox', assignee: null, label: 'Inbox', Icon: InboxIcon },
  { to: '/inbox?assignee=me', assignee: 'me', label: 'Assigned to me', Icon: UserIcon },
  { to: '/inbox?assignee=unassigned', assignee: 'unassigned', label: 'Unassigned', Icon: UnassignedIcon },
];

/** Settings pages, for admins only. */
const settingsNavigation = [
  { to: '/settings/email', label: 'Email addresses', Icon: MailIcon },
  { to: '/settings/templates', label: 'Templates', Icon: MessageIcon },
  { to: '/settings/automation', label: 'Automation', Icon: ZapIcon },
  { to: '/settings/livechat', label: 'Chat widget', Icon: MessageIcon },
];

function UnassignedIcon({ size = 16 }: { size?: number }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.75}
      strokeLinecap="round"
      aria-hidden="true"
    >
      <circle cx="12" cy="12" r="8.5" strokeDasharray="3 3" />
    </svg>
  );
}

/** The agent app: top bar, left navigation, and the page. */
export function AgentShell() {
  const viewer = useViewer();
  const location = useLocation();
  const matches = useMatches();
  const socket = useSocketStatus();
  const fullBleed = matches.some((match) => isShellHandle(match.handle) && match.handle.fullBleed);
  const assignee = new URLSearchParams(location.search).get('assignee');
  return (
    <ChatProvider>
      <div className={cx('sb-shell', fullBleed && 'sb-shell--full')}>
        <a className="sb-skip-link" href="#main">
          Skip to content
        </a>
        <header className="sb-topbar">
          <div className="sb-topbar__start">
            <Link to="/inbox" className="sb-brand sb-brand--link">
              <LogoMark size={26} />
              <span className="sb-brand__name">Switchboard</span>
            </Link>
            <span className="sb-topbar__divider" aria-hidden="true" />
            <span className="sb-tenant" title="Your workspace">
              <span className="sb-visually-hidden">Workspace: </span>
              {viewer.tenant.name}
            </span>
          </div>
          <div className="sb-topbar__end">
            <ChatToggle />
            <NotificationBell />
            <UserMenu viewer={viewer} />
          </div>
        </header>
        {socket.state === 'down' && (
          <div className="sb-offline" role="status">
            <WifiOffIcon size={15} />
            Connection lost. Reconnecting… Changes made by others will appear when it is back.
          </div>
        )}
        <div className="sb-shell__body">
          <nav className="sb-sidenav" aria-label="Main">
            <ul className="sb-sidenav__list">
              {navigation.map(({ to, assignee: view, label, Icon }) => (
                <li key={to}>
                  <NavItem
                    to={to}
                    label={label}
                    icon={Icon}
                    active={location.pathname === '/inbox' && (assignee ?? null) === view}
                  />
                </li>
              ))}
              <LiveChatNavLink />
            </ul>
            <ul className="sb-sidenav__list">
              <li>
                <NavItem
                  to="/chat"
                  label="Team chat"
                  icon={MessageIcon}
                  active={location.pathname.startsWith('/chat')}
                />
              </li>
            </ul>
            {canReviewHeldMail(viewer.role) && (
              <ul className="sb-sidenav__list">
                <li>
                  <NavItem
                    to="/held-mail"
                    label="Held mail"
                    icon={MailIcon}
                    active={location.pathname === '/held-mail'}
                  />
                </li>
              </ul>
            )}
            <SlaNavigation />
            {!isAdmin(viewer.role) && canManageAutomation(viewer.role) && (
              <NavItem
                to="/settings/automation"
                label="Automation"
                icon={ZapIcon}
                active={location.pathname === '/settings/automation'}
              />
            )}
            {isAdmin(viewer.role) && (
              <>
                {/* Opens the section; the page itself is marked in the list below. */}
                <NavItem
                  to="/settings/email"
                  label="Settings"
                  icon={SettingsIcon}
                  className={cx(
                    'sb-sidenav__section',
                    location.pathname.startsWith('/settings') && 'sb-sidenav__section--open',
                  )}
                />
                {location.pathname.startsWith('/settings') && (
                  <ul className="sb-sidenav__list sb-sidenav__sublist" aria-label="Settings">
                    {settingsNavigation.map(({ to, label, Icon }) => (
                      <li key={to}>
                        <NavItem to={to} label={label} icon={Icon} iconSize={16} active={location.pathname === to} />
                      </li>
                    ))}
                  </ul>
                )}
              </>
            )}
          </nav>
          <main className="sb-main" id="main" tabIndex={-1}>
            <Outlet />
          </main>
        </div>
        <ChatDock />
      </div>
    </ChatProvider>
  );
}
