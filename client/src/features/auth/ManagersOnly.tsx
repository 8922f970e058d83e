import { Navigate, Outlet } from 'react-router';
import type { Role } from '../../gql/graphql';
import { AGENT_HOME } from './roles';
import { useViewer } from './viewer';

/** Managers and admins run the SLA board and its policies. */
export function isManager(role: Role): boolean {
  return role === 'MANAGER' || role === 'ADMIN' || role === 'SUPERADMIN';
}

/** Manager pages (the SLA board and policies): other staff are sent to the inbox. */
export function ManagersOnly() {
  return isManager(useViewer().role) ? <Outlet /> : <Navigate to={AGENT_HOME} replace />;
}
