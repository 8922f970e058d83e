// The demo data of the contract, seeded into an empty database.
import type { MikroORM } from '@mikro-orm/postgresql';
import { acrossTenants } from '../../db/tenant-scope.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { Company } from '../companies/company.entity.js';
import { Role, User } from '../users/user.entity.js';
import { hashPassword } from '../auth/passwords.js';
import { childLogger } from '../../lib/logger.js';
import type { Services } from '../../app/services.js';
import { forTenant } from '../../db/tenant-scope.js';
import { AssignmentMode, Team } from '../teams/team.entity.js';
import { Level, TicketStatus } from '../tickets/ticket.enums.js';
import type { Actor } from '../actor.js';
import { seedDemoChat } from '../chat/chat-demo.js';

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
export async function seedDemoIfEmpty(orm: MikroORM, services: Services): Promise<boolean> {
  const em = acrossTenants(orm.em);
  const seeded = await em.transactional(async (tx) => {
    // Serialise concurrent starters on one database.
    await tx.execute('select pg_advisory_xact_lock(?)', [0x5b0a7d02]);
    if ((await tx.count(Tenant, {})) > 0) return false;
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    for (const spec of demoTenants) {
      const tenant = tx.create(Tenant, { name: spec.name, slug: spec.slug });
      for (const company of spec.companies) tx.create(Company, { tenant, ...company });
      for (const user of spec.users) tx.create(User, { tenant, ...user, passwordHash });
      await tx.flush();
      await services.slaPolicies.ensureDefaultPolicy(tx, tenant.id);
    }
    return true;
  });
  if (!seeded) return false;
  await seedDemoTickets(orm, services);
  await seedDemoChat(orm, services.chat);
  childLogger('demo').info('seeded the demo tenants');
  return true;
}

/** Sample tickets, made through the real services so that their timelines are real too. */
async function seedDemoTickets(orm: MikroORM, services: Services): Promise<void> {
  const tenant = await acrossTenants(orm.em).findOneOrFail(Tenant, { slug: 'demo' });
  const em = forTenant(orm.em, tenant.id);
  const user = (email: string) => em.findOneOrFail(User, { email });
  const [agent1, agent2, manager, customer] = await Promise.all([
    user('agent1@demo.test'),
    user('agent2@demo.test'),
    user('manager@demo.test'),
    user('customer@demo.test'),
  ]);
  const team = em.create(Team, { tenant, name: 'Support', assignmentMode: AssignmentMode.ROUND_ROBIN });
  team.members.set([agent1, agent2]);
  await em.flush();

  const as = (u: User): Actor => ({ tenantId: tenant.id, userId: u.id, staff: u.role !== Role.CUSTOMER });
  const down = await services.tickets.create(em, as(customer), {
    title: 'Checkout page shows a blank screen',
    description: 'Since this morning our customers cannot pay: the checkout page stays white after "Pay now".',
    urgency: Level.CRITICAL,
    importance: Level.CRITICAL,
  });
  await services.tickets.update(em, as(manager), {
    ticketId: down.id,
    assigneeId: agent1.id,
    tags: ['checkout', 'outage'],
  });
  await services.timeline.addComment(em, as(agent1), {
    ticketId: down.id,
    internal: true,
    body: `Looking at the payment gateway logs now. @[${agent2.name}](user:${agent2.id}) can you check the CDN?`,
  });
  await services.timeline.addComment(em, as(agent1), {
    ticketId: down.id,
    internal: false,
    body: 'Thanks for the report. We can reproduce it and are working on a fix; next update within 30 minutes.',
  });

  const invoice = await services.tickets.create(em, as(customer), {
    title: 'Invoice #1042 shows the wrong VAT number',
    description: 'The VAT number on last month’s invoice is our old one. Could you send a corrected invoice?',
    urgency: Level.LOW,
    importance: Level.MEDIUM,
  });
  await services.tickets.update(em, as(agent2), {
    ticketId: invoice.id,
    assigneeId: agent2.id,
    status: TicketStatus.PENDING_CUSTOMER,
  });

  await services.tickets.create(em, as(manager), {
    title: 'How do I add a second support address?',
    description: 'A customer asks whether they can route billing@ and help@ into one inbox.',
    requesterEmail: 'jordan@acme.test',
    requesterName: 'Jordan Lee',
    teamId: team.id,
    urgency: Level.MEDIUM,
    importance: Level.LOW,
  });
}
