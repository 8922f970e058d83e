// An in-process Switchboard (API + services) on its own fresh database, with the demo data.
import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { overrideEnv } from '../../server/src/config/env.js';
import { bootRuntime, type Runtime } from '../../server/src/app/runtime.js';
import { attachServices, startApi } from '../../server/src/app/api.js';
import type { ApiServer } from '../../server/src/http/server.js';
import { createTestDatabase } from './database.js';
import { GraphQLTestClient } from './graphql-client.js';

export interface TestStack {
  runtime: Runtime;
  api: ApiServer;
  url: string;
  databaseUrl: string;
  client(token?: string): GraphQLTestClient;
  login(email: string, password?: string): Promise<GraphQLTestClient>;
  close(): Promise<void>;
}

export async function startTestStack(
  options: { env?: Record<string, unknown>; demo?: boolean; databaseUrl?: string } = {},
): Promise<TestStack> {
  // Benchmarks run outside vitest and bring their own database.
  const databaseUrl = options.databaseUrl ?? (await createTestDatabase());
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-test-data-'));
  overrideEnv({
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    SECRET_KEY: crypto.randomBytes(32).toString('base64'),
    LOG_LEVEL: 'silent',
    // Tests' webhook receivers listen on loopback, which the SSRF guard refuses by default.
    WEBHOOK_ALLOW_PRIVATE_HOSTS: ['127.0.0.0/8'],
    ...options.env,
  });
  const runtime = await bootRuntime({ demo: options.demo ?? true, poolMax: 10 });
  const api = await startApi(() => runtime.services, 0);
  attachServices(api, runtime.services);
  const url = `http://127.0.0.1:${api.port}`;
  const client = (token?: string) => new GraphQLTestClient(url, token);
  return {
    runtime,
    api,
    url,
    databaseUrl,
    client,
    async login(email, password = 'switchboard') {
      const anonymous = client();
      const token = await anonymous.login(email, password);
      return client(token);
    },
    async close() {
      await api.close();
      await runtime.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
