// docker-compose.yml stays valid: `docker compose config -q` with and without the `mongo` profile,
// SECRET_KEY required. Needs only the docker CLI with Compose (no engine): `docker compose` (v2
// plugin) or the standalone `docker-compose`.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function run(command: string, args: string[], env: Record<string, string | undefined> = {}) {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  // Only what the test sets reaches the interpolation.
  for (const key of [
    'SECRET_KEY',
    'DATABASE_URL',
    'PUBLIC_URL',
    'LOG_LEVEL',
    'SEED_DEMO',
    'PORT',
    'COMPOSE_PROFILES',
  ]) {
    delete childEnv[key];
  }
  for (const [key, value] of Object.entries(env)) if (value !== undefined) childEnv[key] = value;
  const result = spawnSync(command, args, { cwd: root, env: childEnv, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, error: result.error, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

const docker = run('docker', ['--version']);
const dockerInstalled = !docker.error;

/** `docker compose` when the plugin is there, else the standalone `docker-compose`. */
function findCompose(): { command: string; prefix: string[]; v2: boolean } | null {
  if (!dockerInstalled) return null;
  if (run('docker', ['compose', 'version']).status === 0) return { command: 'docker', prefix: ['compose'], v2: true };
  const standalone = run('docker-compose', ['version']);
  if (standalone.status === 0) {
    return { command: 'docker-compose', prefix: [], v2: /version v?2\./i.test(standalone.output) };
  }
  return null;
}
const compose = findCompose();
const skipReason = !dockerInstalled
  ? 'the docker CLI is not installed'
  : !compose
    ? 'the docker CLI has no Compose here (neither `docker compose` nor `docker-compose` runs)'
    : '';
if (skipReason) console.warn(`docker-compose.yml checks skipped: ${skipReason}`);

const SECRET_KEY = Buffer.alloc(32, 7).toString('base64');

function composeRun(args: string[], env: Record<string, string | undefined> = {}) {
  return run(compose!.command, [...compose!.prefix, '-f', 'docker-compose.yml', ...args], env);
}

describe.skipIf(!!skipReason)('docker-compose.yml', () => {
  it('is valid with SECRET_KEY set', () => {
    const result = composeRun(['config', '-q'], { SECRET_KEY });
    expect(result.status, result.output).toBe(0);
  });

  it('is valid with the mongo profile', () => {
    const result = composeRun(['--profile', 'mongo', 'config', '-q'], { SECRET_KEY });
    expect(result.status, result.output).toBe(0);
  });

  it('refuses to run without SECRET_KEY, saying so', () => {
    const result = composeRun(['config', '-q']);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('set SECRET_KEY');
  });

  it('passes the environment to the server and the workers, MONGODB_URL only in the mongo profile', () => {
    const env = { SECRET_KEY, PUBLIC_URL: 'https://help.example.test', LOG_LEVEL: 'debug', SEED_DEMO: '1' };
    const plain = composeRun(['config'], env);
    expect(plain.status, plain.output).toBe(0);
    for (const text of [
      'postgres:18',
      `SECRET_KEY: ${SECRET_KEY}`,
      'PUBLIC_URL: https://help.example.test',
      'LOG_LEVEL: debug',
      'DATABASE_URL: postgres://switchboard:switchboard@postgres:5432/switchboard',
      'scripts/start.mjs',
    ]) {
      expect(plain.output).toContain(text);
    }
    const withMongo = composeRun(['--profile', 'mongo', 'config'], env);
    expect(withMongo.status, withMongo.output).toBe(0);
    expect(withMongo.output).toContain('MONGODB_URL: mongodb://mongo:27017/switchboard');
    expect(withMongo.output).toContain('workers-mongo');
    if (compose!.v2) {
      // Compose v2 leaves services of inactive profiles out of the rendered file.
      expect(plain.output).not.toContain('MONGODB_URL');
      const services = composeRun(['config', '--services'], env).output.trim().split('\n').sort();
      expect(services).toEqual(['postgres', 'server', 'workers']);
      const all = composeRun(['--profile', 'mongo', 'config', '--services'], env).output.trim().split('\n').sort();
      expect(all).toEqual(['mongo', 'postgres', 'server', 'workers', 'workers-mongo']);
    }
  });
});
