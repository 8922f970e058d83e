import type { RequestContext, Viewer } from './context.js';
import { forbidden, unauthenticated } from './errors.js';
import { Role, STAFF_ROLES } from '../modules/users/user.entity.js';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Loaders } from './loaders.js';

export interface SignedIn {
  viewer: Viewer;
  em: EntityManager;
  loaders: Loaders;
}

export function requireViewer(ctx: RequestContext): SignedIn {
  if (!ctx.viewer || !ctx.em || !ctx.loaders) throw unauthenticated();
  return { viewer: ctx.viewer, em: ctx.em, loaders: ctx.loaders };
}

export function requireRole(ctx: RequestContext, roles: readonly Role[]): SignedIn {
  const signedIn = requireViewer(ctx);
  if (!roles.includes(signedIn.viewer.role)) throw forbidden();
  return signedIn;
}

export const requireStaff = (ctx: RequestContext) => requireRole(ctx, STAFF_ROLES);
export const requireAdmin = (ctx: RequestContext) => requireRole(ctx, [Role.SUPERADMIN, Role.ADMIN]);
export const requireManager = (ctx: RequestContext) => requireRole(ctx, [Role.SUPERADMIN, Role.ADMIN, Role.MANAGER]);
