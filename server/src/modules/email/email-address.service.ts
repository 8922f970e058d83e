import type { EntityManager } from '@mikro-orm/postgresql';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { DomainError } from '../../graphql/errors.js';
import { encryptSecret } from '../../lib/secrets.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { isEmail } from '../users/user.service.js';
import { EmailAddress, MailboxHealth, SmtpSecurity } from './email-address.entity.js';

export interface EmailAddressData {
  displayName: string;
  address: string;
  color?: string | null;
  imapHost: string;
  imapPort: number;
  imapTls: boolean;
  imapUser: string;
  /** Write-only; omit (on update) to keep the stored one. */
  imapPassword?: string | null;
  imapFolder?: string | null;
  smtpHost: string;
  smtpPort: number;
  smtpSecurity: SmtpSecurity;
  smtpUser?: string | null;
  smtpPassword?: string | null;
  isDefault?: boolean | null;
  isActive?: boolean | null;
}

const COLOR = /^#[0-9a-f]{6}$/i;
const HOST = /^[a-z0-9.-]{1,253}$/i;

function validate(data: EmailAddressData, creating: boolean): void {
  const fail = (field: string, message: string) => {
    throw new DomainError('BAD_USER_INPUT', message, field);
  };
  if (!data.displayName.trim()) fail('displayName', 'A display name is required');
  if (!isEmail(data.address.trim().toLowerCase())) fail('address', `"${data.address}" is not an email address`);
  if (data.color && !COLOR.test(data.color)) fail('color', 'Colours are #rrggbb');
  if (!HOST.test(data.imapHost)) fail('imapHost', 'Not a host name');
  if (!HOST.test(data.smtpHost)) fail('smtpHost', 'Not a host name');
  for (const [field, port] of [
    ['imapPort', data.imapPort],
    ['smtpPort', data.smtpPort],
  ] as const) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) fail(field, 'Ports are 1–65535');
  }
  if (!data.imapUser.trim()) fail('imapUser', 'The IMAP user is required');
  if (creating && !data.imapPassword) fail('imapPassword', 'The IMAP password is required');
}

export class EmailAddressService {
  list(em: EntityManager): Promise<EmailAddress[]> {
    return em.find(EmailAddress, {}, { orderBy: { isDefault: 'desc', displayName: 'asc' } });
  }

  async save(em: EntityManager, tenantId: string, id: string | null, data: EmailAddressData): Promise<EmailAddress> {
    validate(data, id === null);
    try {
      return await em.transactional(async (tx) => {
        const existing = id ? await tx.findOne(EmailAddress, id) : null;
        if (id && !existing) throw new DomainError('NOT_FOUND', 'No such email address', 'id');
        const address =
          existing ??
          tx.create(EmailAddress, {
            tenant: tx.getReference(Tenant, tenantId),
            displayName: data.displayName,
            address: data.address,
            imapHost: data.imapHost,
            imapPort: data.imapPort,
            imapTls: data.imapTls,
            imapUser: data.imapUser,
            imapPasswordSealed: encryptSecret(data.imapPassword!),
            smtpHost: data.smtpHost,
            smtpPort: data.smtpPort,
            smtpSecurity: data.smtpSecurity,
          });
        const serverChanged =
          existing &&
          (existing.imapHost !== data.imapHost ||
            existing.imapPort !== data.imapPort ||
            existing.imapUser !== data.imapUser ||
            existing.imapFolder !== (data.imapFolder?.trim() || 'INBOX'));
        Object.assign(address, {
          displayName: data.displayName.trim(),
          address: data.address.trim().toLowerCase(),
          color: data.color ?? address.color,
          imapHost: data.imapHost.trim(),
          imapPort: data.imapPort,
          imapTls: data.imapTls,
          imapUser: data.imapUser.trim(),
          imapFolder: data.imapFolder?.trim() || 'INBOX',
          smtpHost: data.smtpHost.trim(),
          smtpPort: data.smtpPort,
          smtpSecurity: data.smtpSecurity,
          smtpUser: data.smtpUser?.trim() || null,
          isActive: data.isActive ?? address.isActive,
        });
        if (data.imapPassword) address.imapPasswordSealed = encryptSecret(data.imapPassword);
        if (data.smtpPassword) address.smtpPasswordSealed = encryptSecret(data.smtpPassword);
        if (serverChanged) {
          // Another mailbox: its UIDs mean nothing against the old cursor.
          address.uidValidity = null;
          address.lastUid = null;
          address.health = MailboxHealth.UNKNOWN;
        }
        if (data.isDefault || (await tx.count(EmailAddress, { isDefault: true, id: { $ne: address.id } })) === 0) {
          await tx.nativeUpdate(EmailAddress, { isDefault: true, id: { $ne: address.id } }, { isDefault: false });
          address.isDefault = true;
        }
        // New settings deserve a fresh try now, not after an old backoff.
        address.failures = 0;
        address.nextAttemptAt = null;
        await tx.flush();
        return address;
      });
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        throw new DomainError('BAD_USER_INPUT', `${data.address} is already set up`, 'address');
      }
      throw error;
    }
  }

  async remove(em: EntityManager, id: string): Promise<boolean> {
    const address = await em.findOne(EmailAddress, id);
    if (!address) return false;
    await em.remove(address).flush();
    if (address.isDefault) {
      const next = await em.findOne(EmailAddress, { isActive: true }, { orderBy: { createdAt: 'asc' } });
      if (next) {
        next.isDefault = true;
        await em.flush();
      }
    }
    return true;
  }

  async byId(em: EntityManager, id: string): Promise<EmailAddress> {
    const address = await em.findOne(EmailAddress, id);
    if (!address) throw new DomainError('NOT_FOUND', 'No such email address', 'id');
    return address;
  }

  /** A manual IMAP test says as much about the mailbox as a fetch: show it as the address's health. */
  async recordImapCheck(em: EntityManager, id: string, result: { ok: boolean; message: string }): Promise<void> {
    await em.nativeUpdate(
      EmailAddress,
      { id },
      result.ok
        ? { health: MailboxHealth.OK, lastError: null, lastCheckAt: new Date() }
        : {
            health: /auth|credential|password|login/i.test(result.message)
              ? MailboxHealth.AUTH_FAILED
              : MailboxHealth.ERROR,
            lastError: result.message,
            lastCheckAt: new Date(),
          },
    );
  }

  async defaultFor(em: EntityManager): Promise<EmailAddress | null> {
    return em.findOne(EmailAddress, { isActive: true }, { orderBy: { isDefault: 'desc', createdAt: 'asc' } });
  }
}
