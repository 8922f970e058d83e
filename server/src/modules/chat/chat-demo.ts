// The demo tenant's team chat: a #general channel for the whole team with a first exchange.
import type { MikroORM } from '@mikro-orm/postgresql';
import { acrossTenants, forTenant } from '../../db/tenant-scope.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { Role, User } from '../users/user.entity.js';
import type { ChatService } from './chat.service.js';

export async function seedDemoChat(orm: MikroORM, chat: ChatService): Promise<void> {
  const tenant = await acrossTenants(orm.em).findOneOrFail(Tenant, { slug: 'demo' });
  const em = forTenant(orm.em, tenant.id);
  const staff = await em.find(User, { role: { $ne: Role.CUSTOMER } }, { orderBy: { email: 'asc' } });
  const manager = staff.find((u) => u.email === 'manager@demo.test')!;
  const agent1 = staff.find((u) => u.email === 'agent1@demo.test')!;
  const as = (u: User) => ({ tenantId: tenant.id, userId: u.id, staff: true, role: u.role });
  const general = await chat.createChannel(em, as(manager), {
    name: 'general',
    memberIds: staff.filter((u) => u.id !== manager.id).map((u) => u.id),
  });
  await chat.send(em, as(manager), general.id, 'Morning team! The checkout outage (#1) is our priority today.');
  await chat.send(em, as(agent1), general.id, 'On it, I am reading the payment gateway logs.');
}
