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

const log = childLogger('workers');

async function run(withApi: boolean, demo: boolean): Promise<void> {
  handleSignals();
  let runtime: Runtime | null = null;
  const api = withApi ? await startApi(() => runtime?.services ?? null) : null;
  if (api) onShutdown('api', 'intake', () => api.close());
  runtime = await bootRuntime({ demo }, isStopping);
  const booted = runtime;
  onShutdown('runtime', 'storage', () => booted.close());
  const scheduler = await startScheduler(booted, (agenda) => registerJobs(agenda, booted));
  onShutdown('scheduler', 'jobs', () => scheduler.stop());
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
