// The workers process: `pnpm start:workers`. With `--with-api` (what `pnpm start` runs) the same
// process also serves the API and the client, so one command starts everything.
import 'reflect-metadata';
import { bootRuntime, type Runtime } from '@switchboard/server/app/runtime.js';
import { attachServices, startApi } from '@switchboard/server/app/api.js';
import { handleSignals, isStopping, onShutdown, shutdown } from '@switchboard/server/app/lifecycle.js';
import { childLogger } from '@switchboard/server/lib/logger.js';
import { env } from '@switchboard/server/config/env.js';
import { startScheduler } from './scheduler.js';
import { registerJobs } from './jobs/index.js';
import { MailboxLeases } from './mailboxes/mailbox-leases.js';
import { OutboxPump } from './outbox/outbox-pump.js';
import { SlaTimerPump } from './sla/sla-timer-pump.js';
import { AutomationPump } from './automation/automation-pump.js';

const log = childLogger('workers');

async function run(withApi: boolean, demo: boolean): Promise<void> {
  handleSignals();
  let runtime: Runtime | null = null;
  const api = withApi ? await startApi(() => runtime?.services ?? null) : null;
  if (api) onShutdown('api', 'intake', () => api.close());
  runtime = await bootRuntime({ demo }, isStopping);
  const booted = runtime;
  onShutdown('runtime', 'storage', () => booted.close());
  const pump = new OutboxPump(booted.services);
  pump.start();
  onShutdown('outbox', 'jobs', () => pump.stop());
  const slaPump = new SlaTimerPump(booted.services);
  slaPump.start();
  onShutdown('sla-timers', 'jobs', () => slaPump.stop());
  const automation = new AutomationPump(booted.services);
  automation.start();
  onShutdown('automation', 'jobs', () => automation.stop());
  const scheduler = await startScheduler(booted, (agenda) =>
    registerJobs(agenda, booted, { outbox: pump, slaTimers: slaPump, automation }),
  );
  onShutdown('scheduler', 'jobs', () => scheduler.stop());
  const mailboxes = new MailboxLeases(booted.services, {
    leaseSeconds: booted.env.MAILBOX_LEASE_SECONDS,
    heartbeatMs: Math.max(500, (booted.env.MAILBOX_LEASE_SECONDS * 1000) / 4),
    maxMailboxes: 2_000,
    pollIntervalMs: booted.env.IMAP_POLL_INTERVAL_SECONDS * 1000,
  });
  await mailboxes.start();
  onShutdown('mailboxes', 'jobs', () => mailboxes.stop());
  if (api) {
    attachServices(api, booted.services);
    const url = env().PUBLIC_URL ?? api.url;
    console.log(`Switchboard is ready at ${url}`);
  } else {
    console.log('Switchboard workers are running');
  }
  log.info({ withApi }, 'workers started');
}

run(process.argv.includes('--with-api'), process.argv.includes('--demo')).catch((error: unknown) => {
  log.fatal({ err: error }, 'could not start');
  console.error(error);
  void shutdown(1);
});
