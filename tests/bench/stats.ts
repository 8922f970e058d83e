// Small helpers shared by the benchmarks.
import os from 'node:os';
import { execSync } from 'node:child_process';

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/** The machine, as `nproc` and `free -g` see it. */
export function machine(): string {
  const run = (command: string) => {
    try {
      return execSync(command, { encoding: 'utf8' }).trim();
    } catch {
      return '';
    }
  };
  const cores = run('nproc') || String(os.cpus().length);
  const memory = run('free -g').split('\n')[1]?.trim().split(/\s+/)[1] ?? String(Math.round(os.totalmem() / 2 ** 30));
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${cores} cores (${cpu}), ${memory} GiB memory, ${os.type()} ${os.release()}, Node ${process.version}`;
}
