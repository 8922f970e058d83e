import type { Role } from '../../gql/graphql';

const labels: Record<Role, string> = {
  SUPERADMIN: 'Platform admin',
  ADMIN: 'Admin',
  MANAGER: 'Manager',
  AGENT: 'Agent',
  CUSTOMER: 'Customer',
};

export function roleLabel(role: Role): string {
  return labels[role];
}

/** Staff work in the agent app; everyone else (customers) in the customer portal. */
export function isStaff(role: Role): boolean {
  return role !== 'CUSTOMER';
}

/** Admins (and platform admins) manage the workspace's settings. */
export function isAdmin(role: Role): boolean {
  return role === 'ADMIN' || role === 'SUPERADMIN';
}

export const AGENT_HOME = '/inbox';
export const PORTAL_HOME = '/portal';

export function homeFor(role: Role): string {
  return isStaff(role) ? AGENT_HOME : PORTAL_HOME;
}
