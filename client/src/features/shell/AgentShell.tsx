import { NavLink, Outlet } from 'react-router';
import { InboxIcon, LogoMark } from '../../shared/ui';
import { useViewer } from '../auth/viewer';
import { UserMenu } from './UserMenu';
import './shell.css';

/** Only what works is listed; each feature adds its entry when it ships. */
const navigation = [{ to: '/inbox', label: 'Inbox', Icon: InboxIcon }];

/** The agent app: top bar, left navigation, and the page. */
export function AgentShell() {
  const viewer = useViewer();
  return (
    <div className="sb-shell">
      <a className="sb-skip-link" href="#main">
        Skip to content
      </a>
      <header className="sb-topbar">
        <div className="sb-topbar__start">
          <span className="sb-brand">
            <LogoMark size={26} />
            <span className="sb-brand__name">Switchboard</span>
          </span>
          <span className="sb-topbar__divider" aria-hidden="true" />
          <span className="sb-tenant" title="Your workspace">
            <span className="sb-visually-hidden">Workspace: </span>
            {viewer.tenant.name}
          </span>
        </div>
        <div className="sb-topbar__end">
          <UserMenu viewer={viewer} />
        </div>
      </header>
      <div className="sb-shell__body">
        <nav className="sb-sidenav" aria-label="Main">
          <ul className="sb-sidenav__list">
            {navigation.map(({ to, label, Icon }) => (
              <li key={to}>
                <NavLink to={to} className="sb-sidenav__link">
                  <Icon size={18} />
                  <span>{label}</span>
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <main className="sb-main" id="main" tabIndex={-1}>
          <Outlet />
        </main>
      </div>
    </div>
  );
}
