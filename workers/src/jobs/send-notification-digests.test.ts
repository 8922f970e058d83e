// The digest job on a real Agenda (PostgreSQL job store) and a real SMTP server: a digest that is
// due goes out once, a restarted scheduler does not send it again, and what fell due while no
// worker ran goes out when one starts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../../tests/support/stack.js';
import { eventually, startSmtpServer, type SmtpTestServer } from '../../../tests/support/mail-servers.js';
import { forTenant, acrossTenants } from '@switchboard/server/db/tenant-scope.js';
import { User } from '@switchboard/server/modules/users/user.entity.js';
import { NotificationService } from '@switchboard/server/modules/notifications/notification.service.js';
import {
  NotificationEmail,
  NotificationEmailStatus,
} from '@switchboard/server/modules/notifications/notification-email.entity.js';
import { OutboxPump } from '../outbox/outbox-pump.js';
import { startScheduler, type Scheduler } from '../scheduler.js';
import { SEND_NOTIFICATION_DIGESTS, registerSendNotificationDigests } from './send-notification-digests.job.js';
import { createSupportAddress } from '../../../tests/support/support-address.js';

let stack: TestStack;
let smtp: SmtpTestServer;
let pump: OutboxPump;
let manager: User;

const digestsTo = (address: string) =>
  smtp.received.filter((m) => m.to.includes(address) && /notifications from Demo Support/.test(m.raw));

/** Mentions created two hours ago for someone on the hourly digest: their digest is overdue. */
async function overdueMentions(titles: string[]): Promise<void> {
  const services = stack.runtime.services;
  const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
  const past = new NotificationService(
    services.bus,
    { preferences: services.notificationPreferences, mailer: services.notificationMailer },
    () => twoHoursAgo,
  );
  const em = forTenant(services.orm.em, manager.tenant.id);
  await em.transactional(async (tx) => {
    for (const title of titles) {
      await past.notifyUser(tx, { tenantId: manager.tenant.id, userId: manager.id, kind: 'MENTION', title });
    }
  });
}

/** Starts a scheduler with the digest job, runs it once now and waits for that run to finish. */
async function runWorkerOnce(): Promise<Scheduler> {
  const scheduler = await startScheduler(stack.runtime, (agenda) =>
    registerSendNotificationDigests(agenda, stack.runtime.services),
  );
  const done = new Promise<void>((resolve) =>
    scheduler.agenda.once(`complete:${SEND_NOTIFICATION_DIGESTS}`, () => resolve()),
  );
  await scheduler.agenda.now(SEND_NOTIFICATION_DIGESTS);
  await done;
  return scheduler;
}

beforeAll(async () => {
  smtp = await startSmtpServer();
  stack = await startTestStack();
  const admin = await stack.login('admin@demo.test');
  await createSupportAddress(admin, { displayName: 'Demo Support', address: 'support@demo.test', smtpPort: smtp.port });
  const client = await stack.login('manager@demo.test');
  await client.data(
    'mutation { updateNotificationPreferences(input: { kinds: [{ kind: MENTION, inApp: true, email: HOURLY_DIGEST }] }) { timeZone } }',
  );
  manager = await acrossTenants(stack.runtime.services.orm.em).findOneOrFail(User, { email: 'manager@demo.test' });
  pump = new OutboxPump(stack.runtime.services);
  pump.start();
});

afterAll(async () => {
  await pump?.stop();
  await stack?.close();
  await smtp?.close();
});

describe('the notification digest job', () => {
  it('sends a due digest once, and a restarted worker neither repeats nor skips one', async () => {
    await overdueMentions(['Printer on floor 2', 'VPN at the branch office']);

    const first = await runWorkerOnce();
    await eventually(async () => digestsTo('manager@demo.test').length === 1);
    await first.stop();
    const [digest] = digestsTo('manager@demo.test');
    expect(digest!.raw).toContain('Printer on floor 2');
    expect(digest!.raw).toContain('VPN at the branch office');

    // Due while no worker runs.
    await overdueMentions(['Scanner queue stuck', 'Badge reader offline']);

    const restarted = await runWorkerOnce();
    await eventually(async () => digestsTo('manager@demo.test').length === 2);
    // And once more: nothing left to send.
    const again = new Promise<void>((resolve) =>
      restarted.agenda.once(`complete:${SEND_NOTIFICATION_DIGESTS}`, () => resolve()),
    );
    await restarted.agenda.now(SEND_NOTIFICATION_DIGESTS);
    await again;
    await restarted.stop();
    await pump.wake();

    const digests = digestsTo('manager@demo.test');
    expect(digests).toHaveLength(2);
    expect(digests[1]!.raw).toContain('Scanner queue stuck');
    expect(digests[1]!.raw).not.toContain('Printer on floor 2');
    const rows = await forTenant(stack.runtime.services.orm.em, manager.tenant.id).find(NotificationEmail, {
      user: manager.id,
      digest: true,
    });
    expect(rows).toHaveLength(4);
    expect(rows.every((r) => r.status === NotificationEmailStatus.QUEUED)).toBe(true);
    expect(new Set(rows.map((r) => r.mail?.id)).size).toBe(2);
  });
});
