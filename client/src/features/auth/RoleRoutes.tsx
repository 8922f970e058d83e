import { Navigate, Outlet } from 'react-router';
import { AGENT_HOME, PORTAL_HOME, homeFor, isAdmin, isStaff } from './roles';
import { useViewer } from './viewer';

/** `/`: staff go to the agent app, customers to the portal. */
export function HomeRedirect() {
  return <Navigate to={homeFor(useViewer().role)} replace />;
}

/** The agent app's routes: customers are sent to their portal. */
export function StaffOnly() {
  return isStaff(useViewer().role) ? <Outlet /> : <Navigate to={PORTAL_HOME} replace />;
}

/** The customer portal's routes: staff are sent to the agent app. */
export function CustomersOnly() {
  return isStaff(useViewer().role) ? <Navigate to={AGENT_HOME} replace /> : <Outlet />;
}

/** Settings pages: other staff are sent to the inbox. */
export function AdminOnly() {
  return isAdmin(useViewer().role) ? <Outlet /> : <Navigate to={AGENT_HOME} replace />;
}
