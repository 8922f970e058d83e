import type { Viewer } from '../graphql/context.js';
import { isStaffRole } from './users/user.entity.js';

/** Who makes a change: a signed-in user, or the system (mail ingestion, automation, timers). */
export interface Actor {
  tenantId: string;
  userId: string | null;
  staff: boolean;
  /** Set when an automation rule makes the change: recorded on its timeline events (loop guard). */
  automation?: AutomationMark;
}

/** Which rule made a change, and the chain of rules that led to it (oldest first). */
export interface AutomationMark {
  ruleId: string;
  ruleName: string;
  chain: string[];
}

export function actorOf(viewer: Viewer): Actor {
  return { tenantId: viewer.tenantId, userId: viewer.userId, staff: isStaffRole(viewer.role) };
}

export function systemActor(tenantId: string): Actor {
  return { tenantId, userId: null, staff: true };
}
