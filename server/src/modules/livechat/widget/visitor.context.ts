import type { Services } from '../../../app/services.js';
import { unauthenticated } from '../../../graphql/errors.js';
import type { LiveChatSettings } from '../livechat.entities.js';
import type { VisitorPrincipal } from '../livechat.service.js';

/** The context of one visitor request or socket operation: a tenant's widget, and maybe its visitor. */
export interface VisitorContext {
  services: Services;
  settings: LiveChatSettings;
  visitor: VisitorPrincipal | null;
  ip: string;
  userAgent: string | null;
}

export function requireVisitor(ctx: VisitorContext): VisitorPrincipal {
  if (!ctx.visitor) throw unauthenticated('Start a conversation first');
  return ctx.visitor;
}
