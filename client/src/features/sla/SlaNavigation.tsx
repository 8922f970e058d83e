// The SLA entries of the agent app's side navigation, for managers and admins.
import { useLocation } from 'react-router';
import { ClockIcon, NavItem, SettingsIcon } from '../../shared/ui';
import { useViewer } from '../auth/viewer';
import { isManager } from '../auth/ManagersOnly';

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
      {entries.map(({ to, label, Icon }) => (
        <li key={to}>
          <NavItem to={to} label={label} icon={Icon} active={location.pathname === to} />
        </li>
      ))}
    </ul>
  );
}
