// The API server process: `pnpm start:server`. (`pnpm start` runs it together with the workers.)
import 'reflect-metadata';
import { bootRuntime, type Runtime } from './app/runtime.js';
import { attachServices, startApi } from './app/api.js';
import { handleSignals, isStopping, onShutdown, shutdown } from './app/lifecycle.js';
import { childLogger } from './lib/logger.js';
import { env } from './config/env.js';

const log = childLogger('main');

export async function runServer(options: { demo?: boolean } = {}): Promise<Runtime> {
  handleSignals();
  let runtime: Runtime | null = null;
  const api = await startApi(() => runtime?.services ?? null);
  onShutdown('api', 'intake', () => api.close());
  runtime = await bootRuntime({ demo: options.demo }, isStopping);
  const booted = runtime;
  onShutdown('runtime', 'storage', () => booted.close());
  attachServices(api, booted.services);
  const url = env().PUBLIC_URL ?? api.url;
  log.info({ url }, `Switchboard API is ready at ${url}`);
  console.log(`Switchboard is ready at ${url}`);
  return booted;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runServer({ demo: process.argv.includes('--demo') }).catch((error: unknown) => {
    log.fatal({ err: error }, 'could not start');
    console.error(error);
    void shutdown(1);
  });
}
