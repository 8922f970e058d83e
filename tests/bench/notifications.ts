// Notifications under load, in-process on a PostgreSQL of its own:
//   a) a ticket turning critical × critical with AGENTS agents: the updateTicket mutation's latency
//      (every agent's notification, preference lookup and mail queued in that one transaction);
//   b) the digest job: DIGEST_USERS agents with PER_USER held mentions each; one sendDue run's
//      duration, digests per second and notifications per second.
// Run: pnpm bench:notifications        (AGENTS=200 ROUNDS=10 DIGEST_USERS=200 PER_USER=5 by default)
import { startTestStack } from '../support/stack.js';
import { tempDir } from '../support/processes.js';
import { startEmbeddedPostgres } from '../../server/src/db/embedded-postgres.js';
import { forTenant, acrossTenants } from '../../server/src/db/tenant-scope.js';
import { Tenant } from '../../server/src/modules/tenants/tenant.entity.js';
import { Role, User } from '../../server/src/modules/users/user.entity.js';
import { NotificationService } from '../../server/src/modules/notifications/notification.service.js';
import { NotificationPreference } from '../../server/src/modules/notifications/notification-preference.entity.js';
import { EmailDelivery } from '../../server/src/modules/notifications/notification-kinds.js';
import { percentile } from './percentile.js';
import { machine } from './stats.js';

const AGENTS = Number(process.env.AGENTS ?? 200);
const ROUNDS = Number(process.env.ROUNDS ?? 10);
const DIGEST_USERS = Math.min(Number(process.env.DIGEST_USERS ?? 200), AGENTS);
const PER_USER = Number(process.env.PER_USER ?? 5);

async function main(): Promise<void> {
  console.log(`Machine: ${machine()}`);
  const db = await startEmbeddedPostgres(tempDir('switchboard-bench-notifications-pg-'));
  const stack = await startTestStack({ databaseUrl: db.url, env: { LOG_LEVEL: 'silent' } });
  try {
    const services = stack.runtime.services;
    const admin = await stack.login('admin@demo.test');
    // A sending address (nothing sends here: the benchmark measures queueing, not SMTP).
    await admin.data('mutation($input: EmailAddressInput!) { createEmailAddress(input: $input) { id } }', {
      input: {
        displayName: 'Demo Support',
        address: 'support@demo.test',
        imapHost: '127.0.0.1',
        imapPort: 1,
        imapTls: false,
        imapUser: 'x',
        imapPassword: 'x',
        smtpHost: '127.0.0.1',
        smtpPort: 1,
        smtpSecurity: 'NONE',
      },
    });
    const tenant = await acrossTenants(services.orm.em).findOneOrFail(Tenant, { name: 'Demo Support' });
    const em = forTenant(services.orm.em, tenant.id);
    const agents: User[] = [];
    for (let i = 0; i < AGENTS; i += 1) {
      agents.push(
        em.create(User, { tenant, email: `bench-agent-${i}@demo.test`, name: `Agent ${i}`, role: Role.AGENT }),
      );
    }
    await em.flush();
    const staff = await em.count(User, { role: { $ne: Role.CUSTOMER }, active: true });

    const agent1 = await stack.login('agent1@demo.test');
    const { createTicket } = await agent1.data<{ createTicket: { id: string } }>(
      'mutation { createTicket(input: { title: "Bench: production down", description: "x", urgency: CRITICAL, importance: HIGH }) { id } }',
    );
    const flip = (importance: string) =>
      agent1.data('mutation($id: ID!, $i: Level!) { updateTicket(input: { ticketId: $id, importance: $i }) { id } }', {
        id: createTicket.id,
        i: importance,
      });
    const latencies: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const started = performance.now();
      await flip('CRITICAL');
      latencies.push(performance.now() - started);
      await flip('HIGH');
    }
    console.log(
      `a) critical × critical with ${staff} staff (${staff - 1} notified, in-app + mail queued): updateTicket p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms (${ROUNDS} rounds)`,
    );

    const digestUsers = agents.slice(0, DIGEST_USERS);
    for (const user of digestUsers) {
      em.create(NotificationPreference, {
        tenant,
        user,
        kind: 'MENTION',
        inApp: true,
        email: EmailDelivery.HOURLY_DIGEST,
      });
    }
    await em.flush();
    const at = new Date('2030-01-01T10:05:00Z');
    const past = new NotificationService(
      services.bus,
      { preferences: services.notificationPreferences, mailer: services.notificationMailer },
      () => at,
    );
    await em.transactional(async (tx) => {
      for (const user of digestUsers) {
        for (let n = 0; n < PER_USER; n += 1) {
          await past.notifyUser(tx, { tenantId: tenant.id, userId: user.id, kind: 'MENTION', title: `Mention ${n}` });
        }
      }
    });
    const started = performance.now();
    let total = { mails: 0, notifications: 0 };
    for (;;) {
      const run = await services.notificationMailer.sendDue(new Date('2030-01-01T11:00:30Z'));
      if (run.mails === 0) break;
      total = { mails: total.mails + run.mails, notifications: total.notifications + run.notifications };
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `b) digest job: ${total.mails} digests of ${total.notifications} notifications in ${seconds.toFixed(2)} s: ${(total.mails / seconds).toFixed(0)} digests/s, ${(total.notifications / seconds).toFixed(0)} notifications/s`,
    );
  } finally {
    await stack.close();
    await db.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
