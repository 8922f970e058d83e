// `pnpm start` / `start:server` / `start:workers`: builds the client when its sources changed,
// then runs the process under swc-node with Node 22 (from node_modules/.bin).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const mode = process.argv[2] ?? 'all';
const extra = process.argv.slice(3);

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

function ensureClientBuilt() {
  const clientDir = path.join(root, 'client');
  const built = path.join(clientDir, 'dist', 'index.html');
  if (!fs.existsSync(path.join(clientDir, 'index.html'))) return;
  const sources = Math.max(
    newestMtime(path.join(clientDir, 'src')),
    fs.statSync(path.join(clientDir, 'index.html')).mtimeMs,
  );
  const widget = path.join(clientDir, 'dist', 'widget.js');
  if (fs.existsSync(built) && fs.existsSync(widget) && fs.statSync(built).mtimeMs >= sources) return;
  console.log('Building the client…');
  const result = spawnSync('pnpm', ['--filter', '@switchboard/client', 'run', 'build'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const entries = {
  all: ['workers/src/main.ts', '--with-api'],
  server: ['server/src/main.ts'],
  workers: ['workers/src/main.ts'],
};
if (!entries[mode]) {
  console.error(`unknown mode ${mode}; use all, server or workers`);
  process.exit(2);
}
if (mode !== 'workers') ensureClientBuilt();

// Processes that run the workers ingest mail: each mail is parsed into short-lived objects, and a
// larger young generation (64 MiB semi-spaces instead of 16) collects them in fewer, cheaper
// scavenges (docs/benchmarks.md, Mail). tests/support/processes.ts and the ingest benchmark use the
// same flags.
const workerFlags = JSON.parse(fs.readFileSync(path.join(root, 'scripts', 'worker-node-flags.json'), 'utf8'));
const nodeFlags = mode === 'server' ? [] : workerFlags;

const [entry, ...args] = entries[mode];
const child = spawn(
  process.execPath,
  [
    ...nodeFlags,
    '--enable-source-maps',
    '--import',
    '@swc-node/register/esm-register',
    path.join(root, entry),
    ...args,
    ...extra,
  ],
  { stdio: 'inherit', cwd: root, env: { ...process.env, SWC_NODE_PROJECT: path.join(root, 'tsconfig.json') } },
);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 0)));
