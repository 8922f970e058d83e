// The demo data of the contract, seeded into an empty database.
import type { MikroORM } from '@mikro-orm/postgresql';
import { acrossTenants } from '../../db/tenant-scope.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { Company } from '../companies/company.entity.js';
import { Role, User } from '../users/user.entity.js';
import { hashPassword } from '../auth/passwords.js';
import { childLogger } from '../../lib/logger.js';

export const DEMO_PASSWORD = 'switchboard';

interface DemoUser {
  email: string;
  name: string;
  role: Role;
}

const demoTenants: Array<{
  name: string;
  slug: string;
  users: DemoUser[];
  companies: Array<{ name: string; domains: string[] }>;
}> = [
  {
    name: 'Demo Support',
    slug: 'demo',
    companies: [{ name: 'Acme Corporation', domains: ['acme.test'] }],
    users: [
      { email: 'admin@demo.test', name: 'Ada Admin', role: Role.ADMIN },
      { email: 'manager@demo.test', name: 'Morgan Manager', role: Role.MANAGER },
      { email: 'agent1@demo.test', name: 'Alex Agent', role: Role.AGENT },
      { email: 'agent2@demo.test', name: 'Sam Agent', role: Role.AGENT },
      { email: 'customer@demo.test', name: 'Casey Customer', role: Role.CUSTOMER },
    ],
  },
  {
    name: 'Other Co',
    slug: 'other',
    companies: [],
    users: [{ email: 'admin@other.test', name: 'Olive Admin', role: Role.ADMIN }],
  },
];

/** Seeds the demo tenants when the database has no tenant yet. Returns whether it seeded. */
export async function seedDemoIfEmpty(orm: MikroORM): Promise<boolean> {
  const em = acrossTenants(orm.em);
  return em.transactional(async (tx) => {
    // Serialise concurrent starters on one database.
    await tx.execute('select pg_advisory_xact_lock(?)', [0x5b0a7d02]);
    if ((await tx.count(Tenant, {})) > 0) return false;
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    for (const spec of demoTenants) {
      const tenant = tx.create(Tenant, { name: spec.name, slug: spec.slug });
      for (const company of spec.companies) tx.create(Company, { tenant, ...company });
      for (const user of spec.users) tx.create(User, { tenant, ...user, passwordHash });
    }
    childLogger('demo').info('seeded the demo tenants');
    return true;
  });
}
