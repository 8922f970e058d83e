import { Link, Outlet } from 'react-router';
import { LogoMark } from '../../shared/ui';
import { useViewer } from '../auth/viewer';
import { UserMenu } from './UserMenu';
import './shell.css';

/** The customer portal: a lighter frame around the customer's own requests. */
export function PortalShell() {
  const viewer = useViewer();
  return (
    <div className="sb-shell sb-shell--portal">
      <a className="sb-skip-link" href="#main">
        Skip to content
      </a>
      <header className="sb-topbar sb-topbar--portal">
        <div className="sb-topbar__start">
          <Link to="/portal" className="sb-brand sb-brand--link">
            <LogoMark size={26} />
            <span className="sb-brand__name">{viewer.tenant.name}</span>
          </Link>
          <span className="sb-portal-badge">Support portal</span>
        </div>
        <div className="sb-topbar__end">
          <UserMenu viewer={viewer} />
        </div>
      </header>
      <main className="sb-portal-main" id="main" tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="sb-portal-footer">
        <span>
          Support by {viewer.tenant.name} · Powered by <strong>Switchboard</strong>
        </span>
      </footer>
    </div>
  );
}
