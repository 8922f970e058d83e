import type { EntityManager } from '@mikro-orm/postgresql';
import type { Role, User } from '../modules/users/user.entity.js';
import type { Services } from '../app/services.js';
import type { Loaders } from './loaders.js';

/** Who is calling, resolved from the bearer token once per request or socket. */
export interface Viewer {
  userId: string;
  tenantId: string;
  sessionId: string;
  role: Role;
  sessionExpiresAt: Date;
}

export interface RequestContext {
  services: Services;
  viewer: Viewer | null;
  /** Scoped to the viewer's tenant; null for anonymous callers (who may only log in). */
  em: EntityManager | null;
  ip: string;
  userAgent: string | null;
  /** Batched lookups by id within this request (tenant-scoped like `em`). */
  loaders: Loaders | null;
  /** The signed-in user, loaded lazily once per request. */
  currentUser(): Promise<User>;
}
