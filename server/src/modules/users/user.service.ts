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

  /**
   * The batched form of findOrCreateCustomer() (mail ingestion): the users with these addresses
   * and the companies of their domains in two queries; get() creates a missing customer without
   * flushing, only when asked, and null for what is not an email address.
   */
  async customerDirectory(em: EntityManager, tenantId: string, addresses: string[]): Promise<CustomerDirectory> {
    const emails = [...new Set(addresses.map(normaliseEmail).filter(isEmail))];
    const users = emails.length ? await em.find(User, { email: { $in: emails } }, { populate: ['company'] }) : [];
    const known = new Set(users.map((u) => u.email));
    const domains = [...new Set(emails.filter((e) => !known.has(e)).map((e) => e.split('@')[1] ?? ''))];
    const companies = domains.length ? await em.find(Company, { domains: { $overlap: domains } }) : [];
    return new CustomerDirectory(em, tenantId, users, companies);
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

export class CustomerDirectory {
  private readonly byEmail = new Map<string, User>();

  constructor(
    private readonly em: EntityManager,
    private readonly tenantId: string,
    users: User[],
    private readonly companies: Company[],
  ) {
    for (const user of users) this.byEmail.set(user.email, user);
  }

  get(address: string, name?: string | null): User | null {
    const email = normaliseEmail(address);
    if (!isEmail(email)) return null;
    const found = this.byEmail.get(email);
    if (found) return found;
    const domain = email.split('@')[1] ?? '';
    const user = this.em.create(User, {
      tenant: this.em.getReference(Tenant, this.tenantId),
      email,
      name: name?.trim() || email.split('@')[0] || email,
      role: Role.CUSTOMER,
      company: this.companies.find((c) => c.domains.includes(domain)) ?? null,
    });
    this.byEmail.set(email, user);
    return user;
  }

  /** Users already stored (not the ones get() created in this batch). */
  get stored(): User[] {
    return [...this.byEmail.values()];
  }
}
