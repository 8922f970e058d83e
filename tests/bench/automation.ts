// The automation engine.
// a) Backlog: RULES enabled rules on "ticket created" (one matches and tags, the others' conditions
//    do not match), TICKETS tickets created while no engine runs, then one engine drains the
//    timeline: events and rule runs per second.
// b) Latency: the workers' AutomationPump running (woken by `timeline.created`); LATENCY tickets
//    created one at a time; time from the ticket's commit to the commit of the rule's change.
// Run: pnpm bench:automation   (TICKETS=2000 RULES=20 LATENCY=100)
import { startTestStack } from '../support/stack.js';
import { tempDir } from '../support/processes.js';
import { startEmbeddedPostgres } from '../../server/src/db/embedded-postgres.js';
import { forTenant } from '../../server/src/db/tenant-scope.js';
import { systemActor } from '../../server/src/modules/actor.js';
import { AutomationEngine } from '../../server/src/modules/automation/automation.engine.js';
import { AutomationRunner } from '../../server/src/modules/automation/automation.runner.js';
import { AutomationPump } from '../../workers/src/automation/automation-pump.js';
import { percentile } from './percentile.js';
import { machine } from './stats.js';
import os from 'node:os';

const TICKETS = Number(process.env.TICKETS ?? 2000);
const RULES = Number(process.env.RULES ?? 20);
const LATENCY = Number(process.env.LATENCY ?? 100);

async function main(): Promise<void> {
  console.log(`Machine: ${machine()}; load average before: ${os.loadavg()[0]!.toFixed(1)}`);
  const db = await startEmbeddedPostgres(tempDir('switchboard-bench-automation-pg-'), { fsyncOff: true });
  const stack = await startTestStack({ databaseUrl: db.url, env: { LOG_LEVEL: 'silent' } });
  const { services } = stack.runtime;
  const admin = await stack.login('admin@demo.test');
  const { me } = await admin.data<{ me: { tenant: { id: string } } }>('{ me { tenant { id } } }');
  const tenantId = me.tenant.id;
  const engine = new AutomationEngine(services.orm, new AutomationRunner(services.orm, services));
  const drain = async () => {
    let total = 0;
    for (;;) {
      const read = await engine.processEvents();
      if (read === 0) return total;
      total += read;
    }
  };
  try {
    await drain(); // the demo data
    for (let i = 0; i < RULES; i += 1) {
      const matching = i === RULES - 1;
      await admin.data('mutation($input: AutomationRuleInput!) { createAutomationRule(input: $input) { id } }', {
        input: {
          name: `Rule ${i}`,
          trigger: { type: 'TICKET_CREATED' },
          conditions: matching
            ? { type: 'condition', field: 'TITLE', operator: 'CONTAINS', value: 'bench' }
            : { type: 'condition', field: 'TITLE', operator: 'CONTAINS', value: `never-${i}` },
          actions: [{ type: 'ADD_TAG', tag: 'automated' }],
        },
      });
    }
    const em = forTenant(services.orm.em, tenantId);
    let started = performance.now();
    for (let i = 0; i < TICKETS; i += 1) {
      await services.tickets.create(em.fork(), systemActor(tenantId), { title: `bench ticket ${i}`, description: '' });
    }
    console.log(`created ${TICKETS} tickets in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    started = performance.now();
    const events = await drain();
    const backlogSeconds = (performance.now() - started) / 1000;
    const runs = await em
      .getConnection()
      .execute<Array<{ count: string }>>(`select count(*) from automation_executions where status = 'SUCCEEDED'`);
    console.log(
      `backlog: ${events} events (${RULES} rules each) in ${backlogSeconds.toFixed(1)} s = ` +
        `${(events / backlogSeconds).toFixed(0)} events/s, ${(Number(runs[0]?.count) / backlogSeconds).toFixed(0)} rule runs/s`,
    );

    const pump = new AutomationPump(services);
    pump.start();
    const live = services.bus.subscribe('timeline.created');
    const latencies: number[] = [];
    try {
      for (let i = 0; i < LATENCY; i += 1) {
        const ticket = await services.tickets.create(em.fork(), systemActor(tenantId), {
          title: `bench live ${i}`,
          description: '',
        });
        const committed = performance.now();
        // The rule's change is the ticket's second event (after TICKET_CREATED).
        for (;;) {
          const { value } = await live.next();
          if (value.payload.ticketId === ticket.id && value.payload.eventId !== undefined) {
            const rows = await em
              .getConnection()
              .execute<Array<{ kind: string }>>('select kind from timeline_events where id = ?', [
                value.payload.eventId,
              ]);
            if (rows[0]?.kind === 'TAGS_CHANGED') break;
          }
        }
        latencies.push(performance.now() - committed);
      }
    } finally {
      await live.return();
      await pump.stop();
    }
    console.log(
      `latency (commit → rule change committed, ${LATENCY} tickets): p50 ${percentile(latencies, 50).toFixed(0)} ms, ` +
        `p99 ${percentile(latencies, 99).toFixed(0)} ms`,
    );
    console.log(`load average after: ${os.loadavg()[0]!.toFixed(1)}`);
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
