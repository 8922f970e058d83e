// Notifications end to end: preferences per kind and channel, mail through the outbox to a real SMTP
// server, quiet hours and digests (with an injected clock, no sleeping), critical × critical
// tickets, and the rule that nobody is mailed about their own action.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../../../tests/support/stack.js';
import type { GraphQLTestClient } from '../../../../tests/support/graphql-client.js';
import { eventually, startSmtpServer, type SmtpTestServer } from '../../../../tests/support/mail-servers.js';
import { OutboxPump } from '../../../../workers/src/outbox/outbox-pump.js';
import { acrossTenants, forTenant } from '../../db/tenant-scope.js';
import { User } from '../users/user.entity.js';
import { MailMessage } from '../email/mail-message.entity.js';
import { NotificationService } from './notification.service.js';
import { NotificationMailer } from './notification-mailer.js';
import { NotificationEmail, NotificationEmailStatus } from './notification-email.entity.js';
import { Notification } from './notification.entity.js';
import { createSupportAddress } from '../../../../tests/support/support-address.js';

let stack: TestStack;
let smtp: SmtpTestServer;
let pump: OutboxPump;
let admin: GraphQLTestClient;
let agent1: GraphQLTestClient;
let agent2: GraphQLTestClient;
let manager: GraphQLTestClient;
let customer: GraphQLTestClient;
let tenantId: string;
const ids: Record<string, string> = {};

const PREFS = `timeZone quietHoursEnabled quietHoursStart quietHoursEnd dailyDigestHour kinds { kind inApp email }`;

/** Mail received for `address`, with quoted-printable soft line breaks undone. */
function mailsTo(address: string) {
  return smtp.received
    .filter((m) => m.to.includes(address))
    .map((m) => ({ ...m, raw: m.raw.replace(/=\r?\n/g, '').replace(/=C2=B7/g, '·') }));
}

function subjectOf(raw: string): string {
  return /^Subject: (.*(?:\r?\n[ \t].*)*)/m.exec(raw)?.[1]?.replace(/\r?\n[ \t]/g, ' ') ?? '';
}

/** The mail the system wrote to `address` (queued or sent), from the outbox table. */
async function outboxTo(address: string): Promise<MailMessage[]> {
  const em = forTenant(stack.runtime.services.orm.em, tenantId);
  const all = await em.find(MailMessage, { direction: 'OUT' as never }, { orderBy: { createdAt: 'asc' } });
  return all.filter((m) => m.toAddresses.includes(address));
}

async function createTicket(client: GraphQLTestClient, input: Record<string, unknown>) {
  const { createTicket } = await client.data<{ createTicket: { id: string; number: number } }>(
    'mutation($input: CreateTicketInput!) { createTicket(input: $input) { id number } }',
    { input: { description: 'Details', ...input } },
  );
  return createTicket;
}

async function assign(ticketId: string, userId: string) {
  await agent1.data('mutation($id: ID!, $a: ID) { updateTicket(input: { ticketId: $id, assigneeId: $a }) { id } }', {
    id: ticketId,
    a: userId,
  });
}

async function bell(client: GraphQLTestClient) {
  const { notifications } = await client.data<{
    notifications: Array<{ id: string; kind: string; title: string; ticket: { id: string } | null }>;
  }>('{ notifications(first: 200) { id kind title ticket { id } } }');
  return notifications;
}

async function setPreferences(client: GraphQLTestClient, input: Record<string, unknown>) {
  return client.data<{ updateNotificationPreferences: Record<string, unknown> }>(
    `mutation($input: NotificationPreferencesInput!) { updateNotificationPreferences(input: $input) { ${PREFS} } }`,
    { input },
  );
}

/** The notification service of the running stack, with a clock the test sets. */
function serviceAt(now: () => Date): NotificationService {
  const services = stack.runtime.services;
  return new NotificationService(
    services.bus,
    { preferences: services.notificationPreferences, mailer: services.notificationMailer },
    now,
  );
}

async function notifyAt(now: Date, userId: string, title: string): Promise<Notification> {
  const em = forTenant(stack.runtime.services.orm.em, tenantId);
  return em.transactional((tx) =>
    serviceAt(() => now).notifyUser(tx, { tenantId, userId, kind: 'MENTION', title, link: '/inbox' }),
  );
}

async function heldFor(userId: string): Promise<NotificationEmail[]> {
  const em = forTenant(stack.runtime.services.orm.em, tenantId);
  return em.find(NotificationEmail, { user: userId }, { orderBy: { createdAt: 'asc' } });
}

beforeAll(async () => {
  smtp = await startSmtpServer();
  stack = await startTestStack({ env: { PUBLIC_URL: 'https://help.demo.test' } });
  [admin, agent1, agent2, manager, customer] = await Promise.all([
    stack.login('admin@demo.test'),
    stack.login('agent1@demo.test'),
    stack.login('agent2@demo.test'),
    stack.login('manager@demo.test'),
    stack.login('customer@demo.test'),
  ]);
  const users = await acrossTenants(stack.runtime.services.orm.em).find(User, { email: { $like: '%@demo.test' } });
  for (const user of users) ids[user.email.split('@')[0]!] = user.id;
  tenantId = users[0]!.tenant.id;
  await createSupportAddress(admin, { displayName: 'Demo Support', address: 'support@demo.test', smtpPort: smtp.port });
  pump = new OutboxPump(stack.runtime.services);
  pump.start();
});

afterAll(async () => {
  await pump?.stop();
  await stack?.close();
  await smtp?.close();
});

describe('notification preferences', () => {
  it('start from sensible defaults for staff', async () => {
    const { notificationPreferences } = await agent1.data<{
      notificationPreferences: { timeZone: string; kinds: Array<{ kind: string; inApp: boolean; email: string }> };
    }>(`{ notificationPreferences { ${PREFS} } }`);
    const byKind = Object.fromEntries(notificationPreferences.kinds.map((k) => [k.kind, k]));
    expect(byKind.MENTION).toEqual({ kind: 'MENTION', inApp: true, email: 'IMMEDIATELY' });
    expect(byKind.ASSIGNED?.email).toBe('IMMEDIATELY');
    expect(byKind.SLA_WARNING?.email).toBe('IMMEDIATELY');
    expect(byKind.SLA_BREACHED?.email).toBe('IMMEDIATELY');
    expect(byKind.CRITICAL_TICKET?.email).toBe('IMMEDIATELY');
    expect(byKind.WATCHED_COMMENT).toEqual({ kind: 'WATCHED_COMMENT', inApp: true, email: 'OFF' });
  });

  it('are private to their owner, and customers have none to change', async () => {
    await setPreferences(agent1, { kinds: [{ kind: 'CHAT_MENTION', inApp: false, email: 'OFF' }] });
    const theirs = await agent2.data<{ notificationPreferences: { kinds: Array<{ kind: string; inApp: boolean }> } }>(
      `{ notificationPreferences { ${PREFS} } }`,
    );
    expect(theirs.notificationPreferences.kinds.find((k) => k.kind === 'CHAT_MENTION')?.inApp).toBe(true);
    const own = await customer.data<{ notificationPreferences: { kinds: unknown[] } }>(
      `{ notificationPreferences { ${PREFS} } }`,
    );
    expect(own.notificationPreferences.kinds).toEqual([]);
    const refused = await customer.request(
      'mutation { updateNotificationPreferences(input: { kinds: [{ kind: MENTION, inApp: true, email: IMMEDIATELY }] }) { timeZone } }',
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('refuse an invalid update as a whole', async () => {
    const res = await agent1.request(
      'mutation { updateNotificationPreferences(input: { timeZone: "Mars/Olympus", quietHoursEnabled: true }) { timeZone } }',
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toMatch(/time zone/);
    const bad = await agent1.request(
      'mutation { updateNotificationPreferences(input: { quietHoursStart: "25:00", timeZone: "Europe/Berlin" }) { timeZone } }',
    );
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const { notificationPreferences } = await agent1.data<{
      notificationPreferences: { timeZone: string; quietHoursEnabled: boolean };
    }>(`{ notificationPreferences { ${PREFS} } }`);
    expect(notificationPreferences).toMatchObject({ timeZone: 'UTC', quietHoursEnabled: false });
  });
});

describe('delivery by kind and channel', () => {
  it('mails a mention at once from the default address, marked automatic, in-app too', async () => {
    const ticket = await createTicket(agent1, { title: 'Label printer smudges' });
    await agent1.data(
      'mutation($t: ID!, $b: String!) { addComment(input: { ticketId: $t, body: $b, internal: true }) { id } }',
      {
        t: ticket.id,
        b: `@[Sam Agent](user:${ids.agent2}) can you look at the fuser?`,
      },
    );
    const [mail] = await eventually(async () => {
      const found = mailsTo('agent2@demo.test').filter((m) => m.raw.includes('Label printer smudges'));
      return found.length ? found : null;
    });
    expect(subjectOf(mail!.raw)).toBe(`You were mentioned on #${ticket.number} Label printer smudges`);
    expect(mail!.raw).toMatch(/^From: "?Demo Support"? <support@demo.test>/m);
    expect(mail!.raw).toMatch(/^Auto-Submitted: auto-/m);
    expect(mail!.raw).toContain('@Sam Agent can you look at the fuser?');
    expect(mail!.raw).toContain(`https://help.demo.test/tickets/${ticket.id}`);
    const inApp = await bell(agent2);
    expect(inApp.some((n) => n.kind === 'MENTION' && n.ticket?.id === ticket.id)).toBe(true);
    // The writer of the comment hears nothing about it.
    expect((await outboxTo('agent1@demo.test')).filter((m) => m.subject.includes('Label printer'))).toEqual([]);
  });

  it('keeps watched-ticket messages in the app by default', async () => {
    const ticket = await createTicket(agent1, { title: 'Badge reader beeps twice' });
    await agent1.data('mutation($t: ID!, $u: [ID!]!) { setWatchers(ticketId: $t, userIds: $u) { id } }', {
      t: ticket.id,
      u: [ids.manager],
    });
    await agent1.data(
      'mutation($t: ID!) { addComment(input: { ticketId: $t, body: "Replaced the battery", internal: true }) { id } }',
      {
        t: ticket.id,
      },
    );
    const inApp = await bell(manager);
    expect(inApp.some((n) => n.kind === 'WATCHED_COMMENT' && n.ticket?.id === ticket.id)).toBe(true);
    const held = await heldFor(ids.manager!);
    const notifications = await forTenant(stack.runtime.services.orm.em, tenantId).find(Notification, {
      ticket: ticket.id,
    });
    expect(held.filter((h) => notifications.some((n) => n.id === h.notification.id))).toEqual([]);
  });

  it('follows a user who turned assignments off in the app and by mail', async () => {
    await setPreferences(agent2, { kinds: [{ kind: 'ASSIGNED', inApp: false, email: 'OFF' }] });
    const unread = async () =>
      (await agent2.data<{ unreadNotificationCount: number }>('{ unreadNotificationCount }')).unreadNotificationCount;
    const before = await unread();
    const ticket = await createTicket(agent1, { title: 'Projector in room 4 flickers' });
    await assign(ticket.id, ids.agent2!);
    expect((await bell(agent2)).some((n) => n.ticket?.id === ticket.id)).toBe(false);
    expect(await unread()).toBe(before);
    expect((await outboxTo('agent2@demo.test')).some((m) => m.subject.includes('Projector'))).toBe(false);
    // Mail only, no bell: the mail still goes out.
    await setPreferences(agent2, { kinds: [{ kind: 'ASSIGNED', inApp: false, email: 'IMMEDIATELY' }] });
    const second = await createTicket(agent1, { title: 'Second projector flickers' });
    await assign(second.id, ids.agent2!);
    await eventually(async () => mailsTo('agent2@demo.test').some((m) => m.raw.includes('Second projector')));
    expect((await bell(agent2)).some((n) => n.ticket?.id === second.id)).toBe(false);
    await setPreferences(agent2, { kinds: [{ kind: 'ASSIGNED', inApp: true, email: 'IMMEDIATELY' }] });
  });

  it('never mails the actor about their own action', async () => {
    const em = forTenant(stack.runtime.services.orm.em, tenantId);
    const self = await em.findOneOrFail(User, ids.agent1!);
    const notification = await em.transactional((tx) =>
      stack.runtime.services.notifications.notifyUser(tx, {
        tenantId,
        userId: self.id,
        kind: 'AUTOMATION',
        title: 'Your own rule ran',
        actor: tx.getReference(User, self.id),
      }),
    );
    expect(await em.count(NotificationEmail, { notification: notification.id })).toBe(0);
  });
});

describe('critical × critical tickets', () => {
  const critical = (t: string) => mailsTo(t).filter((m) => subjectOf(m.raw).includes('Reactor console'));

  it('notify every other agent once, in the app and by mail, but not the one who made it critical', async () => {
    const ticket = await createTicket(agent1, {
      title: 'Reactor console offline',
      urgency: 'HIGH',
      importance: 'CRITICAL',
    });
    const update = (fields: string) =>
      agent1.data(`mutation($id: ID!) { updateTicket(input: { ticketId: $id, ${fields} }) { id } }`, { id: ticket.id });
    await update('urgency: CRITICAL');
    await update('title: "Reactor console offline (site B)"'); // still critical: no second round
    for (const who of ['admin', 'manager', 'agent2']) {
      await eventually(async () => critical(`${who}@demo.test`).length === 1);
      const inApp = (await bell(who === 'admin' ? admin : who === 'manager' ? manager : agent2)).filter(
        (n) => n.kind === 'CRITICAL_TICKET' && n.ticket?.id === ticket.id,
      );
      expect(inApp).toHaveLength(1);
    }
    expect((await bell(agent1)).some((n) => n.kind === 'CRITICAL_TICKET' && n.ticket?.id === ticket.id)).toBe(false);
    expect((await outboxTo('agent1@demo.test')).some((m) => m.subject.includes('Reactor console'))).toBe(false);
    // Down and up again is a new transition: one more round.
    await update('importance: HIGH');
    await update('importance: CRITICAL');
    await eventually(async () => critical('agent2@demo.test').length === 2);
    const criticalRows = await forTenant(stack.runtime.services.orm.em, tenantId).count(Notification, {
      ticket: ticket.id,
      kind: 'CRITICAL_TICKET',
    });
    expect(criticalRows).toBe(6); // three agents, two transitions
  });

  it('notify every agent when a customer opens one', async () => {
    const ticket = await createTicket(customer, {
      title: 'Whole shop is down',
      urgency: 'CRITICAL',
      importance: 'CRITICAL',
    });
    for (const client of [admin, manager, agent1, agent2]) {
      expect((await bell(client)).some((n) => n.kind === 'CRITICAL_TICKET' && n.ticket?.id === ticket.id)).toBe(true);
    }
  });
});

describe('quiet hours', () => {
  it('hold mail until they end, then deliver it once', async () => {
    await setPreferences(manager, {
      timeZone: 'Europe/Berlin',
      quietHoursEnabled: true,
      quietHoursStart: '22:00',
      quietHoursEnd: '07:00',
    });
    // 23:30 in Berlin (CET, UTC+1) on 1 December.
    const night = new Date('2026-12-01T22:30:00Z');
    const notification = await notifyAt(night, ids.manager!, 'Night-time mention for the manager');
    const [held] = (await heldFor(ids.manager!)).filter((h) => h.notification.id === notification.id);
    expect(held).toMatchObject({ status: NotificationEmailStatus.PENDING, digest: false });
    expect(held!.dueAt.toISOString()).toBe('2026-12-02T06:00:00.000Z'); // 07:00 in Berlin
    // The bell does not wait for the morning.
    expect((await bell(manager)).some((n) => n.id === notification.id)).toBe(true);

    const mailer = stack.runtime.services.notificationMailer;
    await mailer.sendDue(new Date('2026-12-02T05:59:00Z'));
    expect((await outboxTo('manager@demo.test')).some((m) => m.subject.includes('Night-time mention'))).toBe(false);

    await mailer.sendDue(new Date('2026-12-02T06:00:30Z'));
    await mailer.sendDue(new Date('2026-12-02T06:01:30Z'));
    await eventually(async () => mailsTo('manager@demo.test').some((m) => m.raw.includes('Night-time mention')));
    expect((await outboxTo('manager@demo.test')).filter((m) => m.subject.includes('Night-time mention'))).toHaveLength(
      1,
    );
  });

  it('let mail through outside them', async () => {
    const noon = new Date('2026-12-02T11:00:00Z');
    const notification = await notifyAt(noon, ids.manager!, 'Midday mention for the manager');
    const [row] = (await heldFor(ids.manager!)).filter((h) => h.notification.id === notification.id);
    expect(row?.status).toBe(NotificationEmailStatus.QUEUED);
    await eventually(async () => mailsTo('manager@demo.test').some((m) => m.raw.includes('Midday mention')));
    await setPreferences(manager, { quietHoursEnabled: false });
  });
});

describe('digests', () => {
  it('group several notifications into one mail per period, once, across a restart', async () => {
    await setPreferences(agent2, {
      timeZone: 'Europe/Berlin',
      kinds: [{ kind: 'MENTION', inApp: true, email: 'HOURLY_DIGEST' }],
    });
    const at = (iso: string) => new Date(iso);
    for (const n of [1, 2, 3]) await notifyAt(at(`2026-12-03T09:0${n}:00Z`), ids.agent2!, `Digest item ${n}`);
    const held = (await heldFor(ids.agent2!)).filter((h) => h.status === NotificationEmailStatus.PENDING);
    expect(held).toHaveLength(3);
    expect(held.every((h) => h.digest && h.dueAt.toISOString() === '2026-12-03T10:00:00.000Z')).toBe(true);

    const digests = () => mailsTo('agent2@demo.test').filter((m) => m.raw.includes('Digest item'));
    const worker = stack.runtime.services.notificationMailer;
    await worker.sendDue(at('2026-12-03T09:59:00Z'));
    // Two workers at the top of the hour: one mail.
    await Promise.all([worker.sendDue(at('2026-12-03T10:00:05Z')), worker.sendDue(at('2026-12-03T10:00:05Z'))]);
    await eventually(async () => digests().length === 1);
    const [digest] = digests();
    expect(subjectOf(digest!.raw)).toBe('3 notifications from Demo Support');
    for (const n of [1, 2, 3]) expect(digest!.raw).toContain(`Digest item ${n}`);
    expect(digest!.raw).toMatch(/^Auto-Submitted: auto-/m);

    // A restarted worker (a fresh mailer with no memory) runs again in the same period: nothing more.
    const services = stack.runtime.services;
    const restarted = new NotificationMailer(
      services.orm,
      services.outbox,
      services.mailTemplates,
      services.notificationPreferences,
    );
    expect(await restarted.sendDue(at('2026-12-03T10:01:00Z'))).toEqual({ mails: 0, notifications: 0 });

    // What arrives after the digest went out waits for the next hour, even if a run was missed.
    await notifyAt(at('2026-12-03T10:10:00Z'), ids.agent2!, 'Digest item 4');
    expect(await restarted.sendDue(at('2026-12-03T10:30:00Z'))).toEqual({ mails: 0, notifications: 0 });
    expect(await restarted.sendDue(at('2026-12-03T12:15:00Z'))).toEqual({ mails: 1, notifications: 1 });
    await eventually(async () => digests().length === 2);
    expect((await outboxTo('agent2@demo.test')).filter((m) => m.textBody?.includes('Digest item'))).toHaveLength(2);
    await setPreferences(agent2, { timeZone: 'UTC', kinds: [{ kind: 'MENTION', inApp: true, email: 'IMMEDIATELY' }] });
  });

  it('send the daily digest at the chosen local hour', async () => {
    await setPreferences(manager, {
      timeZone: 'America/New_York',
      dailyDigestHour: 9,
      kinds: [{ kind: 'MENTION', inApp: true, email: 'DAILY_DIGEST' }],
    });
    // 10:00 in New York: the next digest is tomorrow 09:00 local (14:00 UTC).
    const notification = await notifyAt(new Date('2026-12-04T15:00:00Z'), ids.manager!, 'Daily digest item');
    const [row] = (await heldFor(ids.manager!)).filter((h) => h.notification.id === notification.id);
    expect(row?.dueAt.toISOString()).toBe('2026-12-05T14:00:00.000Z');
  });
});

describe('notification templates', () => {
  it("use the tenant's own wording from Settings → Templates", async () => {
    const { mailTemplates } = await admin.data<{ mailTemplates: Array<{ event: string; custom: boolean }> }>(
      '{ mailTemplates { event custom } }',
    );
    expect(mailTemplates.map((t) => t.event)).toEqual(
      expect.arrayContaining(['AGENT_NOTIFICATION', 'NOTIFICATION_DIGEST']),
    );
    await admin.data('mutation($input: MailTemplateInput!) { saveMailTemplate(input: $input) { event } }', {
      input: {
        event: 'AGENT_NOTIFICATION',
        subject: '[Desk] {{ notification_title }}',
        body: '{{ recipient_name }}: {{ notification_kind }} at {{ notification_url }}',
        enabled: true,
      },
    });
    const ticket = await createTicket(agent1, { title: 'Fax machine smokes' });
    await assign(ticket.id, ids.agent2!);
    const [mail] = await eventually(async () => {
      const found = mailsTo('agent2@demo.test').filter((m) => m.raw.includes('Fax machine smokes'));
      return found.length ? found : null;
    });
    expect(subjectOf(mail!.raw)).toBe(`[Desk] #${ticket.number} Fax machine smokes was assigned to you`);
    expect(mail!.raw).toContain(`Sam Agent: Assigned to you at https://help.demo.test/tickets/${ticket.id}`);
  });
});
