// The service container: one instance of each service per process, shared by the API server and
// the workers. Services hold the domain logic and know nothing of GraphQL.
import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import type { Env } from '../config/env.js';
import type { EventBus } from '../events/event-bus.js';
import { AuthService } from '../modules/auth/auth.service.js';
import { LoginThrottle } from '../modules/auth/login-throttle.js';
import { PasswordResetService } from '../modules/auth/password-reset.service.js';
import { TenantService } from '../modules/tenants/tenant.service.js';

export interface Services {
  orm: MikroORM;
  bus: EventBus;
  auth: AuthService;
  passwordResets: PasswordResetService;
  tenants: TenantService;
  close(): Promise<void>;
}

export function createServices(orm: MikroORM, bus: EventBus, env: Env, databaseUrl: string): Services {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  pool.on('error', () => undefined); // idle client errors surface on the next query instead
  const throttle = new LoginThrottle(pool, {
    maxFailuresPerAccount: env.LOGIN_MAX_FAILURES_PER_ACCOUNT,
    maxFailuresPerIp: env.LOGIN_MAX_FAILURES_PER_IP,
    blockMinutes: env.LOGIN_BLOCK_MINUTES,
  });
  const auth = new AuthService(orm, bus, throttle, {
    sessionTtlHours: env.SESSION_TTL_HOURS,
    resetTokenTtlMinutes: 60,
  });
  return {
    orm,
    bus,
    auth,
    passwordResets: new PasswordResetService(auth),
    tenants: new TenantService(orm),
    close: () => pool.end(),
  };
}
