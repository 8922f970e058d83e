// flushInBulk writes what a flush would, checks tenants as a flush does, and leaves the new
// entities managed, so later changes to them are updates and nothing is written twice.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startTestStack, type TestStack } from '../../../tests/support/stack.js';
import { acrossTenants, forTenant, TenantViolationError } from './tenant-scope.js';
import { flushInBulk } from './bulk-insert.js';
import { Tenant } from '../modules/tenants/tenant.entity.js';
import { Role, User } from '../modules/users/user.entity.js';
import { Ticket } from '../modules/tickets/ticket.entity.js';
import { TimelineEvent, TimelineKind } from '../modules/timeline/timeline-event.entity.js';
import { MailDirection, MailMessage, MailStatus } from '../modules/email/mail-message.entity.js';

let stack: TestStack;
let db: pg.Client;
let tenantId: string;
let otherTenantId: string;
let nextNumber = 900_000;

beforeAll(async () => {
  stack = await startTestStack();
  db = new pg.Client({ connectionString: stack.databaseUrl });
  await db.connect();
  const tenants = await acrossTenants(stack.runtime.orm.em).find(Tenant, {}, { orderBy: { name: 'asc' } });
  tenantId = tenants.find((t) => t.name === 'Demo Support')!.id;
  otherTenantId = tenants.find((t) => t.name !== 'Demo Support')!.id;
});

afterAll(async () => {
  await db?.end();
  await stack?.close();
});

/** A mail, a customer, their ticket and its first event (with an id, as batch writers give it). */
async function createGraph(tx: EntityManager, label: string, eventId?: string) {
  const tenant = tx.getReference(Tenant, tenantId);
  // The mail first and the customer after it: the statements must follow the foreign keys instead.
  const mail = tx.create(MailMessage, {
    tenant,
    direction: MailDirection.IN,
    status: MailStatus.RECEIVED,
    messageId: `<${label}@bulk.test>`,
    references: ['<a@b>', '<c@d>'],
    subject: `Bulk ${label}`,
    fromAddress: `${label}@bulk.test`,
    toAddresses: ['desk@demo.test'],
    classification: { isAutoReply: false, reasons: ['none'] },
  });
  const customer = tx.create(User, { tenant, email: `${label}@bulk.test`, name: `Bulk ${label}`, role: Role.CUSTOMER });
  const ticket = tx.create(Ticket, {
    tenant,
    number: nextNumber++,
    title: `Bulk ${label}`,
    // Ends in half an emoji (a lone surrogate): both paths store U+FFFD for it.
    description: 'It "quotes", backslashes \\ and ünïcødé \ud83d',
    tags: ['one', 'two, with a comma', 'three "quoted"'],
    requester: customer,
  });
  const event = tx.create(TimelineEvent, {
    tenant,
    ticket,
    kind: TimelineKind.TICKET_CREATED,
    actor: customer,
    body: 'first',
    data: { nested: { list: [1, 'two', null] }, flag: true },
  });
  if (eventId) event.id = eventId;
  mail.ticket = ticket;
  mail.event = event;
  return { customer, ticket, event, mail };
}

async function eventIds(tx: EntityManager, count: number): Promise<string[]> {
  const rows = await tx.execute<Array<{ id: string }>>(
    "select nextval('timeline_events_id_seq')::text as id from generate_series(1, ?)",
    [count],
  );
  return rows.map((r) => r.id);
}

/** The stored rows of a graph, without what differs between any two graphs. */
async function storedRows(label: string) {
  const { rows } = await db.query<{ row: Record<string, unknown> }>(
    `select jsonb_build_object(
        'user', to_jsonb(u) - 'id' - 'email' - 'name' - 'created_at' - 'updated_at',
        'ticket', to_jsonb(t) - 'id' - 'number' - 'title' - 'requester_id' - 'search_vector' - 'created_at' - 'updated_at' - 'last_activity_at',
        'event', to_jsonb(e) - 'id' - 'ticket_id' - 'actor_id' - 'created_at' - 'tx_id',
        'eventHasTxId', e.tx_id is not null,
        'mail', to_jsonb(m) - 'id' - 'ticket_id' - 'event_id' - 'message_id' - 'subject' - 'from_address' - 'created_at' - 'updated_at',
        'dataType', jsonb_typeof(e.data), 'classificationType', jsonb_typeof(m.classification)
      ) as row
     from users u join tickets t on t.requester_id = u.id
     join timeline_events e on e.ticket_id = t.id join mail_messages m on m.event_id = e.id
     where u.email = $1`,
    [`${label}@bulk.test`],
  );
  return rows.map((r) => r.row);
}

describe('flushInBulk', () => {
  it('stores the same rows as a flush, in foreign-key order, JSON as objects and arrays as arrays', async () => {
    await forTenant(stack.runtime.orm.em, tenantId).transactional(async (tx) => {
      await createGraph(tx, 'flushed');
      await tx.flush();
    });
    await forTenant(stack.runtime.orm.em, tenantId).transactional(async (tx) => {
      const [id] = await eventIds(tx, 1);
      await createGraph(tx, 'bulk', id);
      await flushInBulk(tx);
    });
    const flushed = await storedRows('flushed');
    const bulk = await storedRows('bulk');
    expect(flushed).toHaveLength(1);
    expect(bulk).toEqual(flushed);
    expect(bulk[0]).toMatchObject({
      dataType: 'object',
      classificationType: 'object',
      eventHasTxId: true, // a column the rows leave out takes its default
      ticket: {
        tags: ['one', 'two, with a comma', 'three "quoted"'],
        description: 'It "quotes", backslashes \\ and ünïcødé \ufffd',
      },
      event: { data: { nested: { list: [1, 'two', null] }, flag: true } },
      mail: { references: ['<a@b>', '<c@d>'] },
    });
  });

  it('leaves the new entities managed: a later change is an update, and nothing is inserted twice', async () => {
    await forTenant(stack.runtime.orm.em, tenantId).transactional(async (tx) => {
      const [id] = await eventIds(tx, 1);
      const { ticket, mail } = await createGraph(tx, 'managed', id);
      await flushInBulk(tx);
      ticket.title = 'Bulk managed, renamed';
      mail.status = MailStatus.HELD;
      await flushInBulk(tx);
      await tx.flush();
    });
    const { rows } = await db.query(
      `select t.title, m.status, (select count(*)::int from tickets where requester_id = u.id) as tickets
       from users u join tickets t on t.requester_id = u.id join mail_messages m on m.ticket_id = t.id
       where u.email = 'managed@bulk.test'`,
    );
    expect(rows).toEqual([{ title: 'Bulk managed, renamed', status: 'HELD', tickets: 1 }]);
  });

  it('leaves to MikroORM what rows cannot say: an event without an id is still written, with the rest', async () => {
    await forTenant(stack.runtime.orm.em, tenantId).transactional(async (tx) => {
      await createGraph(tx, 'fallback'); // the event's id comes from the database
      await flushInBulk(tx);
    });
    expect(await storedRows('fallback')).toEqual(await storedRows('flushed'));
  });

  it('refuses, like a flush, to create a row of another tenant through a scoped manager', async () => {
    const other = forTenant(stack.runtime.orm.em, otherTenantId);
    await expect(
      other.transactional(async (tx) => {
        tx.create(User, { tenant: tenantId, email: 'planted-bulk@demo.test', name: 'Planted', role: Role.ADMIN });
        await flushInBulk(tx);
      }),
    ).rejects.toBeInstanceOf(TenantViolationError);
    const { rows } = await db.query("select 1 from users where email = 'planted-bulk@demo.test'");
    expect(rows).toEqual([]);
  });
});
