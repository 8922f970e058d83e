import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { DomainError } from '../../graphql/errors.js';
import type { Viewer } from '../../graphql/context.js';
import type { EventBus } from '../../events/event-bus.js';
import { acrossTenants, forTenant } from '../../db/tenant-scope.js';
import { User } from '../users/user.entity.js';
import { PasswordResetToken, Session } from './session.entity.js';
import { decoyHash, hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from './passwords.js';
import { hashToken, newToken } from './tokens.js';
import type { LoginThrottle } from './login-throttle.js';

export interface AuthServiceOptions {
  sessionTtlHours: number;
  resetTokenTtlMinutes: number;
}

export interface LoginResult {
  token: string;
  user: User;
  session: Session;
}

export class AuthService {
  constructor(
    private readonly orm: MikroORM,
    private readonly bus: EventBus,
    private readonly throttle: LoginThrottle,
    private readonly options: AuthServiceOptions,
  ) {}

  async login(emailInput: string, password: string, ip: string, userAgent: string | null): Promise<LoginResult> {
    const email = normaliseEmail(emailInput);
    if (!email || !password) throw new DomainError('BAD_USER_INPUT', 'Email and password are required');
    const retryAfter = await this.throttle.retryAfter(email, ip);
    if (retryAfter > 0) {
      throw new DomainError('TOO_MANY_REQUESTS', `Too many failed sign-ins; try again in ${retryAfter} s`);
    }
    const em = acrossTenants(this.orm.em);
    const candidates = await em.find(
      User,
      { email, active: true, passwordHash: { $ne: null } },
      { populate: ['passwordHash'], orderBy: { createdAt: 'asc' } },
    );
    let user: User | undefined;
    for (const candidate of candidates) {
      if (await verifyPassword(candidate.passwordHash ?? '', password)) {
        user = candidate;
        break;
      }
    }
    if (candidates.length === 0) await verifyPassword(await decoyHash(), password);
    if (!user) {
      await this.throttle.recordFailure(email, ip);
      throw new DomainError('UNAUTHENTICATED', 'Wrong email or password');
    }
    await this.throttle.recordSuccess(email);
    const token = newToken('sb');
    const session = em.create(Session, {
      tenant: user.tenant,
      user,
      tokenHash: hashToken(token),
      expiresAt: new Date(Date.now() + this.options.sessionTtlHours * 3_600_000),
      ip,
      userAgent: userAgent?.slice(0, 512) ?? null,
    });
    user.lastLoginAt = new Date();
    await em.flush();
    return { token, user, session };
  }

  /** The viewer behind a bearer token, or null when it is unknown, expired or revoked. */
  async authenticate(token: string): Promise<Viewer | null> {
    if (!token) return null;
    const tokenHash = hashToken(token);
    const cached = this.recent.get(tokenHash);
    if (cached && cached.until > Date.now() && cached.viewer.sessionExpiresAt.getTime() > Date.now())
      return cached.viewer;
    const em = acrossTenants(this.orm.em);
    const session = await em.findOne(
      Session,
      { tokenHash, revokedAt: null, expiresAt: { $gt: new Date() } },
      { populate: ['user'] },
    );
    if (!session || !session.user.active) return null;
    const viewer: Viewer = {
      userId: session.user.id,
      tenantId: session.tenant.id,
      sessionId: session.id,
      role: session.user.role,
      sessionExpiresAt: session.expiresAt,
    };
    this.remember(tokenHash, viewer);
    return viewer;
  }

  /**
   * Recently verified tokens, for a few seconds: most requests of a busy client then need no
   * session query. A revocation evicts at once on every server (the `session.revoked` event), and
   * the short lifetime bounds the case of an event lost while a listener reconnects.
   */
  private readonly recent = new Map<string, { viewer: Viewer; until: number }>();
  private static readonly CACHE_MS = 5_000;
  private static readonly CACHE_SIZE = 10_000;

  private remember(tokenHash: string, viewer: Viewer): void {
    if (this.recent.size >= AuthService.CACHE_SIZE) this.recent.delete(this.recent.keys().next().value!);
    this.recent.set(tokenHash, { viewer, until: Date.now() + AuthService.CACHE_MS });
  }

  /** Forgets a revoked session (called for every `session.revoked` event, from any server). */
  forgetSession(sessionId: string): void {
    for (const [hash, entry] of this.recent) if (entry.viewer.sessionId === sessionId) this.recent.delete(hash);
  }

  async logout(viewer: Viewer): Promise<void> {
    await this.revokeSessions(forTenant(this.orm.em, viewer.tenantId), { id: viewer.sessionId });
  }

  /** Revokes sessions and tells every server to close their sockets. */
  async revokeSessions(em: EntityManager, where: { id?: string; user?: string }): Promise<number> {
    const revoked = await em.transactional(async (tx) => {
      const sessions = await tx.find(Session, { ...where, revokedAt: null });
      for (const session of sessions) {
        session.revokedAt = new Date();
        await this.bus.publishInTransaction(tx, 'session.revoked', {
          tenantId: session.tenant.id,
          userId: session.user.id,
          sessionId: session.id,
        });
      }
      return sessions.map((s) => s.id);
    });
    // This server's next request must not wait for its own NOTIFY to come back.
    for (const id of revoked) this.forgetSession(id);
    return revoked.length;
  }

  /**
   * Creates a single-use reset token. Returns null (and reveals nothing to the caller) when no
   * account has that address. The mail carrying the token is sent by the email module.
   */
  async createPasswordResetToken(emailInput: string): Promise<{ token: string; user: User } | null> {
    const email = normaliseEmail(emailInput);
    const em = acrossTenants(this.orm.em);
    const user = await em.findOne(User, { email, active: true }, { orderBy: { createdAt: 'asc' } });
    if (!user) return null;
    const token = newToken('rst');
    em.create(PasswordResetToken, {
      tenant: user.tenant,
      user,
      tokenHash: hashToken(token),
      expiresAt: new Date(Date.now() + this.options.resetTokenTtlMinutes * 60_000),
    });
    await em.flush();
    return { token, user };
  }

  async resetPassword(token: string, newPassword: string): Promise<void> {
    if (newPassword.length < MIN_PASSWORD_LENGTH) {
      throw new DomainError('BAD_USER_INPUT', `Passwords need at least ${MIN_PASSWORD_LENGTH} characters`, 'password');
    }
    const em = acrossTenants(this.orm.em);
    const reset = await em.findOne(
      PasswordResetToken,
      { tokenHash: hashToken(token), usedAt: null, expiresAt: { $gt: new Date() } },
      { populate: ['user'] },
    );
    if (!reset) throw new DomainError('BAD_USER_INPUT', 'This reset link is invalid or has expired', 'token');
    const passwordHash = await hashPassword(newPassword);
    await em.transactional(async (tx) => {
      const row = await tx.findOneOrFail(PasswordResetToken, reset.id, { populate: ['user'] });
      row.usedAt = new Date();
      row.user.passwordHash = passwordHash;
    });
    // A new password ends every existing session of that account.
    await this.revokeSessions(forTenant(this.orm.em, reset.tenant.id), { user: reset.user.id });
  }

  /**
   * Housekeeping: drops sessions and reset tokens that can no longer be used. Sessions that end
   * here without having been revoked are announced as `session.revoked` (on commit), so every
   * server closes their sockets.
   */
  async purgeExpired(now = new Date()): Promise<{ sessions: number; resetTokens: number }> {
    const em = acrossTenants(this.orm.em);
    const dayAgo = new Date(now.getTime() - 86_400_000);
    const sessions = await em.transactional(async (tx) => {
      const ending = await tx.find(Session, { expiresAt: { $lt: now }, revokedAt: null });
      for (const session of ending) {
        await this.bus.publishInTransaction(tx, 'session.revoked', {
          tenantId: session.tenant.id,
          userId: session.user.id,
          sessionId: session.id,
        });
      }
      return tx.nativeDelete(Session, { $or: [{ expiresAt: { $lt: now } }, { revokedAt: { $lt: dayAgo } }] });
    });
    const resetTokens = await em.nativeDelete(PasswordResetToken, {
      $or: [{ expiresAt: { $lt: now } }, { usedAt: { $ne: null } }],
    });
    return { sessions, resetTokens };
  }
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
