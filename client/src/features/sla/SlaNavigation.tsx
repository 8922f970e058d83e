// The SLA entries of the agent app's side navigation, for managers and admins.
import { Link, useLocation } from 'react-router';
import { ClockIcon, SettingsIcon, cx } from '../../shared/ui';
import { useViewer } from '../auth/viewer';
import { isManager } from './ManagersOnly';

const entries = [
  { to: '/sla', label: 'SLA board', Icon: ClockIcon },
  { to: '/sla/policies', label: 'SLA policies', Icon: SettingsIcon },
];

export function SlaNavigation() {
  const viewer = useViewer();
  const location = useLocation();
  if (!isManager(viewer.role)) return null;
  return (
    <ul className="sb-sidenav__list" aria-label="Service levels">
      {entries.map(({ to, label, Icon }) => {
        const active = location.pathname === to;
        return (
          <li key={to}>
            <Link
              to={to}
              className={cx('sb-sidenav__link', active && 'active')}
              aria-current={active ? 'page' : undefined}
            >
              <Icon size={18} />
              <span>{label}</span>
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
