// The cross-process event bus on a real PostgreSQL: NOTIFY issued in the transaction is delivered
// on commit only, payloads stay small, every instance (process) receives, and a listener whose
// connection is killed comes back.
import 'reflect-metadata';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOrm } from '../../server/src/db/orm.js';
import { EventBus } from '../../server/src/events/event-bus.js';
import type { BusMessage, EventName } from '../../server/src/events/registry.js';
import { createTestDatabase } from '../support/database.js';

type Orm = Awaited<ReturnType<typeof openOrm>>;

let url: string;
let orm: Orm;
let busA: EventBus;
let busB: EventBus;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  url = await createTestDatabase();
  orm = await openOrm(url, 4);
  busA = new EventBus(url);
  busB = new EventBus(url);
  await Promise.all([busA.start(), busB.start()]);
});

afterAll(async () => {
  await busA?.stop();
  await busB?.stop();
  await orm?.close();
});

/** Collects what a bus delivers for one event name, from now on. */
function collect<N extends EventName>(bus: EventBus, name: N) {
  const got: Array<BusMessage<N>> = [];
  const iterator = bus.subscribe(name)[Symbol.asyncIterator]();
  void (async () => {
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      got.push(next.value);
    }
  })();
  return {
    got,
    userIds: () => got.map((m) => (m.payload as { userId?: string }).userId),
    async waitFor(userId: string, timeoutMs = 5_000): Promise<BusMessage<N>> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = got.find((m) => (m.payload as { userId?: string }).userId === userId);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no event for ${userId} within ${timeoutMs} ms`);
        await sleep(20);
      }
    },
    stop: () => iterator.return?.(),
  };
}

const em = () => orm.em.fork({ useContext: false });
const payload = (userId: string) => ({ tenantId: 'tenant-1', userId });

describe('publishInTransaction', () => {
  it('delivers when the transaction commits, not before', async () => {
    const seen = collect(busB, 'user.updated');
    await em().transactional(async (tx) => {
      await busA.publishInTransaction(tx, 'user.updated', payload('commit-1'));
      await sleep(500);
      expect(seen.userIds()).not.toContain('commit-1');
    });
    const message = await seen.waitFor('commit-1');
    expect(message).toMatchObject({ name: 'user.updated', payload: payload('commit-1') });
    expect(typeof message.at).toBe('number');
    await seen.stop();
  });

  it('never delivers when the transaction rolls back', async () => {
    const seen = collect(busB, 'user.updated');
    await expect(
      em().transactional(async (tx) => {
        await busA.publishInTransaction(tx, 'user.updated', payload('rolled-back'));
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    // Notifications arrive in commit order: once a later one is here, the first can never come.
    await busA.publish(em(), 'user.updated', payload('after-rollback'));
    await seen.waitFor('after-rollback');
    await sleep(200);
    expect(seen.userIds()).not.toContain('rolled-back');
    await seen.stop();
  });

  it('refuses to run outside a transaction', async () => {
    await expect(busA.publishInTransaction(em(), 'user.updated', payload('no-tx'))).rejects.toThrow(
      /outside a transaction/,
    );
  });
});

describe('payload size', () => {
  it('throws for an event over 7,500 bytes, in a transaction or not', async () => {
    const big = { tenantId: 'x'.repeat(7_600), userId: 'too-big' };
    await expect(busA.publish(em(), 'user.updated', big)).rejects.toThrow(/too large/);
    await expect(em().transactional(async (tx) => busA.publishInTransaction(tx, 'user.updated', big))).rejects.toThrow(
      /too large/,
    );
  });

  it('delivers an event just under the limit', async () => {
    const seen = collect(busB, 'user.updated');
    const near = { tenantId: 'y'.repeat(7_350), userId: 'near-limit' };
    await busA.publish(em(), 'user.updated', near);
    expect((await seen.waitFor('near-limit')).payload).toEqual(near);
    await seen.stop();
  });
});

describe('several processes', () => {
  it('delivers one event to every EventBus on the database, the publisher included', async () => {
    const onA = collect(busA, 'session.revoked');
    const onB = collect(busB, 'session.revoked');
    const event = { tenantId: 't', userId: 'both', sessionId: 's-1' };
    await em().transactional(async (tx) => busB.publishInTransaction(tx, 'session.revoked', event));
    expect((await onA.waitFor('both')).payload).toEqual(event);
    expect((await onB.waitFor('both')).payload).toEqual(event);
    await sleep(200);
    expect(onA.got).toHaveLength(1);
    expect(onB.got).toHaveLength(1);
    await Promise.all([onA.stop(), onB.stop()]);
  });

  it('does not deliver other event names to a subscriber', async () => {
    const revoked = collect(busB, 'session.revoked');
    const updated = collect(busB, 'user.updated');
    await busA.publish(em(), 'user.updated', payload('only-updated'));
    await updated.waitFor('only-updated');
    await sleep(200);
    expect(revoked.got).toHaveLength(0);
    await Promise.all([revoked.stop(), updated.stop()]);
  });
});

describe('reconnection', () => {
  async function listenerPids(admin: pg.Client): Promise<number[]> {
    const { rows } = await admin.query<{ pid: number }>(
      `select pid from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid()
          and state = 'idle' and query ilike 'listen %'`,
    );
    return rows.map((r) => r.pid);
  }

  it('listens again after its connection is terminated, and later events arrive', async () => {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      const before = await listenerPids(admin);
      expect(before).toHaveLength(2); // busA and busB
      const { rows } = await admin.query<{ ok: boolean }>(
        'select pg_terminate_backend(pid) as ok from unnest($1::int[]) as pid',
        [before],
      );
      expect(rows.every((r) => r.ok)).toBe(true);

      // Both come back on new connections.
      const deadline = Date.now() + 10_000;
      let after = await listenerPids(admin);
      while ((after.length < 2 || after.some((pid) => before.includes(pid))) && Date.now() < deadline) {
        await sleep(50);
        after = await listenerPids(admin);
      }
      expect(after).toHaveLength(2);
      expect(after.filter((pid) => before.includes(pid))).toEqual([]);
      await Promise.all([busA.ready(), busB.ready()]);

      const onA = collect(busA, 'user.updated');
      const onB = collect(busB, 'user.updated');
      await em().transactional(async (tx) => busA.publishInTransaction(tx, 'user.updated', payload('after-kill')));
      await onA.waitFor('after-kill');
      await onB.waitFor('after-kill');
      await Promise.all([onA.stop(), onB.stop()]);
    } finally {
      await admin.end();
    }
  });
});
