// Real Switchboard processes for system tests and benchmarks: spawn them the way a user would
// (`node scripts/start.mjs …`, i.e. `pnpm start`), wait for /healthz, inspect the process tree in
// /proc, and clean up only what was started here.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Node 22 from node_modules (what `pnpm start` runs), else the Node running this file. */
export const nodeBinary = (() => {
  const local = path.join(repoRoot, 'node_modules', '.bin', 'node');
  return fs.existsSync(local) ? local : process.execPath;
})();

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dir, 0o755); // the embedded PostgreSQL runs as the `postgres` OS user under root
  return dir;
}

export async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const started = new Set<ManagedProcess>();

/** A spawned process in a process group of its own, with its output kept for failure messages. */
export class ManagedProcess {
  readonly pid: number;
  readonly exited: Promise<ExitStatus>;
  status: ExitStatus | null = null;
  private text = '';

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    if (!child.pid) throw new Error(`${name} did not start`);
    this.pid = child.pid;
    const keep = (chunk: Buffer) => {
      this.text += chunk.toString('utf8');
      if (this.text.length > 400_000) this.text = this.text.slice(-200_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.status = { code, signal };
        resolve(this.status);
      });
    });
    started.add(this);
  }

  output(): string {
    return this.text;
  }

  tail(lines = 40): string {
    return this.text.split('\n').slice(-lines).join('\n');
  }

  get running(): boolean {
    return this.status === null;
  }

  /** Signals this process only (like `kill PID`). */
  signal(signal: NodeJS.Signals): void {
    process.kill(this.pid, signal);
  }

  /** Signals the whole process group (like Ctrl-C in a terminal). */
  signalGroup(signal: NodeJS.Signals): void {
    process.kill(-this.pid, signal);
  }

  async waitForExit(timeoutMs: number): Promise<ExitStatus & { ms: number }> {
    const start = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${this.name} did not exit within ${timeoutMs} ms\n${this.tail()}`)),
        timeoutMs,
      );
    });
    try {
      const status = await Promise.race([this.exited, timeout]);
      return { ...status, ms: Date.now() - start };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Waits until the output contains `text`; fails early when the process exits. */
  async waitForOutput(text: string | RegExp, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const found = () => (typeof text === 'string' ? this.text.includes(text) : text.test(this.text));
    while (!found()) {
      if (!this.running) throw new Error(`${this.name} exited (${JSON.stringify(this.status)})\n${this.tail()}`);
      if (Date.now() > deadline)
        throw new Error(`${this.name}: no "${String(text)}" within ${timeoutMs} ms\n${this.tail()}`);
      await sleep(50);
    }
  }

  /** SIGKILLs the process group and every process still in it or below it. */
  async destroy(): Promise<void> {
    const pids = new Set([this.pid, ...descendants(this.pid), ...processGroupMembers(this.pid)]);
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    if (this.running) await this.waitForExit(5_000).catch(() => undefined);
    started.delete(this);
  }
}

export interface SpawnOptions {
  name?: string;
  env?: Record<string, string | undefined>;
}

/** A child environment: ours minus anything that would point the app elsewhere. */
function childEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ['DATABASE_URL', 'MONGODB_URL', 'PUBLIC_URL', 'SEED_DEMO', 'SECRET_KEY', 'DATA_DIR', 'PORT']) {
    delete env[key];
  }
  env.HOST = '127.0.0.1';
  env.LOG_LEVEL = 'info';
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

export function spawnNode(args: string[], options: SpawnOptions = {}): ManagedProcess {
  const child = spawn(nodeBinary, args, {
    cwd: repoRoot,
    env: childEnv(options.env),
    detached: true, // a process group of its own: signalGroup() is Ctrl-C, destroy() reaches everything
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new ManagedProcess(options.name ?? args.join(' '), child);
}

/** `pnpm start` (mode all), `pnpm start:server` or `pnpm start:workers`. */
export function startApp(mode: 'all' | 'server' | 'workers', options: SpawnOptions = {}): ManagedProcess {
  return spawnNode([path.join(repoRoot, 'scripts', 'start.mjs'), mode], { name: `start ${mode}`, ...options });
}

/** The Node flags `pnpm start` gives processes that run the workers (see scripts/start.mjs). */
export const workerNodeFlags: string[] = JSON.parse(
  fs.readFileSync(path.join(repoRoot, 'scripts', 'worker-node-flags.json'), 'utf8'),
) as string[];

/** A TypeScript entry point under swc-node, without the start script's client build. */
export function startEntry(entry: string, options: SpawnOptions = {}): ManagedProcess {
  const flags = entry.startsWith('workers/') ? workerNodeFlags : [];
  return spawnNode(
    [...flags, '--enable-source-maps', '--import', '@swc-node/register/esm-register', path.join(repoRoot, entry)],
    {
      name: entry,
      ...options,
      env: { SWC_NODE_PROJECT: path.join(repoRoot, 'tsconfig.json'), ...options.env },
    },
  );
}

/** Kills whatever a test file left running. */
export async function destroyAll(): Promise<void> {
  await Promise.all([...started].map((p) => p.destroy()));
}

export async function healthz(baseUrl: string): Promise<{ status: number; body: unknown } | null> {
  try {
    const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body };
  } catch {
    return null;
  }
}

/** Polls /healthz until it answers 200 {"status":"ok"}; fails early when the process exits. */
export async function waitForHealthy(baseUrl: string, proc?: ManagedProcess, timeoutMs = 90_000): Promise<number> {
  const start = Date.now();
  for (;;) {
    const res = await healthz(baseUrl);
    if (res?.status === 200 && (res.body as { status?: string })?.status === 'ok') return Date.now() - start;
    if (proc && !proc.running) {
      throw new Error(`${proc.name} exited (${JSON.stringify(proc.status)}) before it was healthy\n${proc.tail()}`);
    }
    if (Date.now() - start > timeoutMs) {
      throw new Error(`${baseUrl} not healthy within ${timeoutMs} ms${proc ? `\n${proc.tail()}` : ''}`);
    }
    await sleep(50);
  }
}

// ---- /proc ----------------------------------------------------------------------------------

export interface ProcInfo {
  pid: number;
  ppid: number;
  pgid: number;
  state: string;
  /** Start time in clock ticks since boot: with the pid, identifies one process even if pids are reused. */
  startTime: string;
  cmdline: string;
}

export function procInfo(pid: number): ProcInfo | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may contain spaces: parse after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    let cmdline = '';
    try {
      cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
    } catch {
      /* exited meanwhile */
    }
    return {
      pid,
      state: fields[0] ?? '?',
      ppid: Number(fields[1]),
      pgid: Number(fields[2]),
      startTime: fields[19] ?? '',
      cmdline,
    };
  } catch {
    return null;
  }
}

export function allProcesses(): ProcInfo[] {
  const result: ProcInfo[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const info = procInfo(Number(entry));
    if (info) result.push(info);
  }
  return result;
}

/** Every live process below `pid` (children, grandchildren…). */
export function descendants(pid: number): number[] {
  const all = allProcesses();
  const found: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const parent = queue.shift()!;
    for (const p of all) {
      if (p.ppid === parent && !found.includes(p.pid)) {
        found.push(p.pid);
        queue.push(p.pid);
      }
    }
  }
  return found;
}

export function processGroupMembers(pgid: number): number[] {
  return allProcesses()
    .filter((p) => p.pgid === pgid)
    .map((p) => p.pid);
}

function environOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/environ`, 'utf8');
  } catch {
    return '';
  }
}

/**
 * Live (non-zombie) processes that belong to a run: their command line names `needle` (the
 * PostgreSQL postmaster is started with `-D <DATA_DIR>/pg`) or their environment contains it (the
 * node processes inherit DATA_DIR).
 */
export function processesMentioning(needle: string): ProcInfo[] {
  return allProcesses().filter(
    (p) =>
      p.pid !== process.pid && p.state !== 'Z' && (p.cmdline.includes(needle) || environOf(p.pid).includes(needle)),
  );
}

/** Those of the recorded processes that still run (same pid and start time, not a zombie). */
export function stillRunning(snapshot: ProcInfo[]): ProcInfo[] {
  return snapshot.filter((p) => {
    const now = procInfo(p.pid);
    return now !== null && now.startTime === p.startTime && now.state !== 'Z';
  });
}

/** The process and everything below it, as it is now. */
export function processTree(pid: number): ProcInfo[] {
  return [pid, ...descendants(pid)].map(procInfo).filter((p): p is ProcInfo => p !== null);
}

export function describeProcesses(processes: ProcInfo[]): string {
  return processes.map((p) => `${p.pid} (ppid ${p.ppid}, ${p.state}) ${p.cmdline.slice(0, 160)}`).join('\n');
}

/** Waits until none of `check()` remain; returns what is left after the timeout. */
export async function waitUntilGone(check: () => ProcInfo[], timeoutMs: number): Promise<ProcInfo[]> {
  const deadline = Date.now() + timeoutMs;
  let left = check();
  while (left.length && Date.now() < deadline) {
    await sleep(100);
    left = check();
  }
  return left;
}

export async function isPortOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
