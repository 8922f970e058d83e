// Small helpers shared by the benchmarks.
import fs from 'node:fs';
import os from 'node:os';
import { execSync } from 'node:child_process';
import { processTree, type ProcInfo } from '../support/processes.js';

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

/**
 * CPU time (user + system, in ms) of a process tree: utime + stime + cutime + cstime of each live
 * process, so children that already ended (initdb) count too. `only` picks processes.
 */
export function treeCpuMs(pid: number, only: (p: ProcInfo) => boolean = () => true): number {
  let ticks = 0;
  for (const p of processTree(pid).filter(only)) {
    try {
      const stat = fs.readFileSync(`/proc/${p.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i] ?? 0), 0);
    } catch {
      /* exited */
    }
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}

export const isPostgres = (p: ProcInfo): boolean => p.cmdline.includes('postgres');
