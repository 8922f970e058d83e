import type { Viewer } from '../graphql/context.js';
import { isStaffRole } from './users/user.entity.js';

/** Who makes a change: a signed-in user, or the system (mail ingestion, automation, timers). */
export interface Actor {
  tenantId: string;
  userId: string | null;
  staff: boolean;
}

export function actorOf(viewer: Viewer): Actor {
  return { tenantId: viewer.tenantId, userId: viewer.userId, staff: isStaffRole(viewer.role) };
}

export function systemActor(tenantId: string): Actor {
  return { tenantId, userId: null, staff: true };
}
