import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError } from '../../graphql/errors.js';
import { Company } from '../companies/company.entity.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { Role, User, isStaffRole } from './user.entity.js';
import { normaliseEmail } from '../auth/auth.service.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function isEmail(value: string): boolean {
  return EMAIL.test(value);
}

export class UserService {
  /** The customer with this address, created (and matched to a company by domain) when new. */
  async findOrCreateCustomer(
    em: EntityManager,
    tenantId: string,
    emailInput: string,
    name?: string | null,
  ): Promise<User> {
    const email = normaliseEmail(emailInput);
    if (!isEmail(email))
      throw new DomainError('BAD_USER_INPUT', `"${emailInput}" is not an email address`, 'requesterEmail');
    const existing = await em.findOne(User, { email });
    if (existing) return existing;
    const domain = email.split('@')[1] ?? '';
    const company = await em.findOne(Company, { domains: { $contains: [domain] } });
    const user = em.create(User, {
      tenant: em.getReference(Tenant, tenantId),
      email,
      name: name?.trim() || email.split('@')[0] || email,
      role: Role.CUSTOMER,
      company,
    });
    await em.flush();
    return user;
  }

  /** A staff member of the caller's tenant, or a clear input error. */
  async staffMember(em: EntityManager, userId: string, field: string): Promise<User> {
    const user = await em.findOne(User, { id: userId, active: true });
    if (!user || !isStaffRole(user.role)) throw new DomainError('BAD_USER_INPUT', 'No such agent', field);
    return user;
  }

  async listStaff(em: EntityManager): Promise<User[]> {
    return em.find(User, { role: { $ne: Role.CUSTOMER }, active: true }, { orderBy: { name: 'asc' } });
  }
}
