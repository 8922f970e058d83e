// Graceful shutdown: SIGINT/SIGTERM run the registered steps by phase (stop taking work, finish
// jobs, release connections and the database), then exit.
import { childLogger } from '../lib/logger.js';

const log = childLogger('lifecycle');
export type ShutdownPhase = 'intake' | 'jobs' | 'storage';
const phaseOrder: Record<ShutdownPhase, number> = { intake: 0, jobs: 1, storage: 2 };
const steps: Array<{ name: string; phase: ShutdownPhase; run: () => Promise<void> }> = [];
let stopping = false;
let stoppingSince = 0;

export function onShutdown(name: string, phase: ShutdownPhase, run: () => Promise<void>): void {
  steps.push({ name, phase, run });
}

export function isStopping(): boolean {
  return stopping;
}

export async function shutdown(code = 0): Promise<never> {
  if (stopping) process.exit(code);
  stopping = true;
  const timer = setTimeout(() => {
    log.error('shutdown took too long; exiting');
    process.exit(1);
  }, 20_000);
  timer.unref();
  for (const step of [...steps].sort((a, b) => phaseOrder[a.phase] - phaseOrder[b.phase])) {
    try {
      await step.run();
    } catch (error) {
      log.warn({ err: (error as Error).message, step: step.name }, 'shutdown step failed');
    }
  }
  log.info('stopped');
  process.exit(code);
}

export function handleSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      // pnpm and our start script may both relay one signal; only a repeat after a pause forces exit.
      if (stopping) {
        if (Date.now() - stoppingSince < 2_000) return;
        log.warn(`second ${signal}: exiting now`);
        process.exit(1);
      }
      stoppingSince = Date.now();
      log.info({ signal }, 'stopping');
      void shutdown(0);
    });
  }
}
