// Agents' own SMTP identities (seed 004): one per user, edited by that user only, tested against
// the real server, and used by the outbox for their public replies.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Transporter } from 'nodemailer';
import { DomainError } from '../../graphql/errors.js';
import { encryptSecret } from '../../lib/secrets.js';
import type { Actor } from '../actor.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { User } from '../users/user.entity.js';
import { isEmail } from '../users/user.service.js';
import { SmtpSecurity } from './email-address.entity.js';
import { serverMessage, smtpTransport } from './mail-connections.js';
import { SmtpIdentity } from './smtp-identity.entity.js';

export interface SmtpIdentityData {
  fromAddress: string;
  fromName?: string | null;
  host: string;
  port: number;
  security: SmtpSecurity;
  username?: string | null;
  /** Write-only: null/undefined keeps the stored one, '' removes it. */
  password?: string | null;
}

export class SmtpIdentityService {
  mine(em: EntityManager, actor: Actor): Promise<SmtpIdentity | null> {
    return em.findOne(SmtpIdentity, { user: this.staffUser(actor) });
  }

  async save(em: EntityManager, actor: Actor, data: SmtpIdentityData): Promise<SmtpIdentity> {
    const userId = this.staffUser(actor);
    const fromAddress = data.fromAddress.trim().toLowerCase();
    if (!isEmail(fromAddress))
      throw new DomainError('BAD_USER_INPUT', 'Enter the address mail is sent from', 'fromAddress');
    const host = data.host.trim();
    if (!host) throw new DomainError('BAD_USER_INPUT', 'Enter the SMTP server', 'host');
    if (!Number.isInteger(data.port) || data.port < 1 || data.port > 65_535) {
      throw new DomainError('BAD_USER_INPUT', 'The port is a number from 1 to 65535', 'port');
    }
    const identity =
      (await em.findOne(SmtpIdentity, { user: userId })) ??
      em.create(SmtpIdentity, {
        tenant: em.getReference(Tenant, actor.tenantId),
        user: em.getReference(User, userId),
        fromAddress,
        host,
        port: data.port,
        security: data.security,
      });
    identity.fromAddress = fromAddress;
    identity.fromName = data.fromName?.trim() || null;
    identity.host = host;
    identity.port = data.port;
    identity.security = data.security;
    identity.username = data.username?.trim() || null;
    if (data.password === '') identity.passwordSealed = null;
    else if (data.password) identity.passwordSealed = encryptSecret(data.password);
    identity.lastError = null;
    await em.flush();
    return identity;
  }

  async remove(em: EntityManager, actor: Actor): Promise<boolean> {
    const deleted = await em.nativeDelete(SmtpIdentity, { user: this.staffUser(actor) });
    return deleted > 0;
  }

  /** Connects and authenticates with the stored settings; the server's words either way. */
  async test(em: EntityManager, actor: Actor): Promise<{ ok: boolean; message: string }> {
    const identity = await this.mine(em, actor);
    if (!identity) throw new DomainError('BAD_USER_INPUT', 'Save your SMTP settings first');
    const transport = identityTransport(identity);
    try {
      await transport.verify();
      identity.lastError = null;
      return { ok: true, message: `Connected to ${identity.host}:${identity.port}` };
    } catch (error) {
      identity.lastError = serverMessage(error);
      return { ok: false, message: identity.lastError };
    } finally {
      transport.close();
      await em.flush();
    }
  }

  private staffUser(actor: Actor): string {
    if (!actor.staff || !actor.userId) throw new DomainError('FORBIDDEN', 'Only agents send mail as themselves');
    return actor.userId;
  }
}

export function identityTransport(identity: SmtpIdentity): Transporter {
  return smtpTransport({
    host: identity.host,
    port: identity.port,
    security: identity.security,
    user: identity.username,
    passwordSealed: identity.passwordSealed,
  });
}
