// Runs a TypeScript entry point of the workspace under swc-node (which, unlike tsx, emits the
// decorator metadata that MikroORM and type-graphql need).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [entry, ...args] = process.argv.slice(2);
const child = spawn(
  process.execPath,
  ['--enable-source-maps', '--import', '@swc-node/register/esm-register', path.resolve(root, entry), ...args],
  { stdio: 'inherit', cwd: root, env: { ...process.env, SWC_NODE_PROJECT: path.join(root, 'tsconfig.json') } },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
