// Start-up time of `pnpm start` (`node scripts/start.mjs all`) until /healthz first answers 200:
//   cold: a fresh DATA_DIR (initdb + migrations + demo seed; the client is already built)
//   warm: the same DATA_DIR again (the cluster and data exist)
// Run: pnpm bench:start   (RUNS=3 by default)
import fs from 'node:fs';
import os from 'node:os';
import { freePort, healthz, sleep, startApp, tempDir, type ManagedProcess } from '../support/processes.js';
import { machine, median, seconds, treeCpuMs } from './stats.js';

const RUNS = Number(process.env.RUNS ?? 3);
const COLD_TARGET_MS = 60_000;
const WARM_TARGET_MS = 10_000;

interface Sample {
  healthyMs: number;
  /** CPU time (user + system) the start script, the app and PostgreSQL used until healthy. */
  cpuMs: number;
  stopMs: number;
  phases: Record<string, number>;
}

/** Milliseconds from spawn to each milestone of the log (pino `time` fields). */
function phases(proc: ManagedProcess, spawnedAt: number): Record<string, number> {
  const marks: Record<string, string> = {
    'initialising a new PostgreSQL cluster': 'initdb started',
    'embedded PostgreSQL is running': 'PostgreSQL up',
    'applying migrations': 'migrating',
    'seeded the demo tenants': 'seeded',
    'workers started': 'workers started',
  };
  const result: Record<string, number> = {};
  for (const line of proc.output().split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as { time?: number; msg?: string };
      const name = entry.msg && marks[entry.msg];
      if (name && entry.time && result[name] === undefined) result[name] = entry.time - spawnedAt;
    } catch {
      /* not a log line */
    }
  }
  return result;
}

async function startOnce(dataDir: string): Promise<Sample> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const spawnedAt = Date.now();
  const proc = startApp('all', { env: { DATA_DIR: dataDir, PORT: String(port) } });
  try {
    for (;;) {
      const res = await healthz(url);
      if (res?.status === 200) break;
      if (!proc.running) throw new Error(`start exited: ${JSON.stringify(proc.status)}\n${proc.tail()}`);
      if (Date.now() - spawnedAt > 180_000) throw new Error(`not healthy after 180 s\n${proc.tail()}`);
      await sleep(20);
    }
    const healthyMs = Date.now() - spawnedAt;
    const cpuMs = treeCpuMs(proc.pid);
    await sleep(300); // let the log lines arrive
    const sample = { healthyMs, cpuMs, phases: phases(proc, spawnedAt) };
    proc.signal('SIGTERM');
    const exit = await proc.waitForExit(30_000);
    if (exit.code !== 0) throw new Error(`exit code ${exit.code}\n${proc.tail()}`);
    return { ...sample, stopMs: exit.ms };
  } finally {
    if (proc.running) await proc.destroy();
  }
}

function summary(label: string, samples: Sample[], targetMs: number): boolean {
  const times = samples.map((s) => s.healthyMs);
  const ok = median(times) < targetMs;
  console.log(
    `${label}: min ${seconds(Math.min(...times))}, median ${seconds(median(times))}, max ${seconds(Math.max(...times))}` +
      ` (runs: ${times.map(seconds).join(', ')}); target < ${seconds(targetMs)}: ${ok ? 'met' : 'NOT met'}`,
  );
  const cpu = samples.map((s) => s.cpuMs);
  console.log(`  CPU time until healthy: min ${seconds(Math.min(...cpu))}, median ${seconds(median(cpu))}`);
  console.log(`  SIGTERM to exit: median ${seconds(median(samples.map((s) => s.stopMs)))}`);
  for (const [i, s] of samples.entries()) {
    const parts = Object.entries(s.phases).map(([name, ms]) => `${name} ${seconds(ms)}`);
    console.log(`  run ${i + 1}: ${parts.join(', ')}, healthy ${seconds(s.healthyMs)}`);
  }
  return ok;
}

async function main(): Promise<void> {
  console.log(`Machine: ${machine()}`);
  console.log(
    `Load average before: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log(`Runs: ${RUNS} cold, ${RUNS} warm\n`);
  const dirs: string[] = [];
  try {
    // Not timed: builds the client if its sources changed and warms the OS file cache.
    const warmUpDir = tempDir('switchboard-bench-');
    dirs.push(warmUpDir);
    await startOnce(warmUpDir);

    const cold: Sample[] = [];
    let lastDir = '';
    for (let i = 0; i < RUNS; i++) {
      lastDir = tempDir('switchboard-bench-');
      dirs.push(lastDir);
      cold.push(await startOnce(lastDir));
    }
    const warm: Sample[] = [];
    for (let i = 0; i < RUNS; i++) warm.push(await startOnce(lastDir));

    console.log(
      `Load average after: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}\n`,
    );
    const coldOk = summary('cold start (fresh DATA_DIR)', cold, COLD_TARGET_MS);
    const warmOk = summary('warm start (same DATA_DIR)', warm, WARM_TARGET_MS);
    console.log(
      `\nRESULT ${JSON.stringify({
        coldMs: cold.map((s) => s.healthyMs),
        warmMs: warm.map((s) => s.healthyMs),
        coldCpuMs: cold.map((s) => s.cpuMs),
        warmCpuMs: warm.map((s) => s.cpuMs),
        coldOk,
        warmOk,
      })}`,
    );
    process.exitCode = coldOk && warmOk ? 0 : 1;
  } finally {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
