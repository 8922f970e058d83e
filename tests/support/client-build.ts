// Builds the web client (client/dist) once per test process when it is missing or older than its
// sources, so that browser tests always drive the current client through the real server.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const clientDir = path.join(root, 'client');
export const clientDistIndex = path.join(clientDir, 'dist', 'index.html');
/** The chat widget, built into the same folder after the app (vite.widget.config.ts). */
export const clientDistWidget = path.join(clientDir, 'dist', 'widget.js');

/** The client's build inputs: sources, static files, and the files that configure the build. */
const inputs = [
  'src',
  'public',
  'index.html',
  'vite.config.ts',
  'vite.widget.config.ts',
  'package.json',
  'tsconfig.json',
];

function newestMtime(target: string): number {
  if (!fs.existsSync(target)) return 0;
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of fs.readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

export function clientBuildIsCurrent(): boolean {
  if (!fs.existsSync(clientDistIndex) || !fs.existsSync(clientDistWidget)) return false;
  const sources = Math.max(...inputs.map((input) => newestMtime(path.join(clientDir, input))));
  return fs.statSync(clientDistIndex).mtimeMs >= sources;
}

let built = false;

/** Builds the client unless client/dist is up to date. Throws with Vite's output when the build fails. */
export function ensureClientBuilt(): void {
  if (built || clientBuildIsCurrent()) {
    built = true;
    return;
  }
  const vite = path.join(clientDir, 'node_modules', 'vite', 'bin', 'vite.js');
  // The app first (it empties dist/), then the widget next to it.
  for (const config of ['vite.config.ts', 'vite.widget.config.ts']) {
    const result = spawnSync(process.execPath, [vite, 'build', '--config', config, '--logLevel', 'warn'], {
      cwd: clientDir,
      encoding: 'utf8',
      env: { ...process.env, NODE_ENV: 'production' },
    });
    if (result.status !== 0) {
      throw new Error(
        `Building the client (${config}) failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`,
      );
    }
  }
  built = true;
}
