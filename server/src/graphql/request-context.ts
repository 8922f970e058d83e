import type { Services } from '../app/services.js';
import { forTenant } from '../db/tenant-scope.js';
import { User } from '../modules/users/user.entity.js';
import type { RequestContext, Viewer } from './context.js';
import { unauthenticated } from './errors.js';
import { Loaders } from './loaders.js';

export function bearerToken(header: string | string[] | undefined | unknown): string {
  const value = Array.isArray(header) ? header[0] : header;
  if (typeof value !== 'string') return '';
  const match = /^Bearer\s+(\S+)$/i.exec(value.trim());
  return match?.[1] ?? '';
}

/** Builds the context of one HTTP request or one WebSocket operation, with its own EntityManager. */
export function createRequestContext(
  services: Services,
  viewer: Viewer | null,
  ip: string,
  userAgent: string | null,
): RequestContext {
  const em = viewer ? forTenant(services.orm.em, viewer.tenantId) : null;
  let user: Promise<User> | undefined;
  return {
    services,
    viewer,
    em,
    loaders: em ? new Loaders(em) : null,
    ip,
    userAgent,
    currentUser() {
      if (!viewer || !em) return Promise.reject(unauthenticated());
      user ??= em.findOneOrFail(User, viewer.userId);
      return user;
    },
  };
}
