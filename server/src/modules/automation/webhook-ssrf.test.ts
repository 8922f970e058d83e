// The SSRF guard with the default setting (no private hosts allowed): webhook rules aimed at
// loopback, private ranges, cloud metadata or a name resolving to loopback are refused when saved,
// and a rule that got past the save (allowed then, or written straight to the database) is
// refused at send time, visibly in the execution log, without a byte reaching the target.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../../../tests/support/stack.js';
import type { GraphQLTestClient } from '../../../../tests/support/graphql-client.js';
import { overrideEnv } from '../../config/env.js';
import type { AutomationEngine } from './automation.engine.js';
import { automationEngine, settleAutomation } from '../../../../tests/support/automation.js';

const CREATE = 'mutation($input: AutomationRuleInput!) { createAutomationRule(input: $input) { id } }';

let stack: TestStack;
let admin: GraphQLTestClient;
let agent: GraphQLTestClient;
let engine: AutomationEngine;
let server: http.Server;
let port = 0;
let received = 0;

function rule(url: string) {
  return {
    name: 'Hook',
    trigger: { type: 'TICKET_CREATED' },
    actions: [{ type: 'WEBHOOK', url, secret: 'abcdefgh' }],
  };
}

const settle = () => settleAutomation(engine);

async function sql<T>(text: string, params: unknown[] = []): Promise<T[]> {
  return stack.runtime.services.orm.em.fork().getConnection().execute(text, params) as Promise<T[]>;
}

interface Run {
  status: string;
  results: Array<{ type: string; ok: boolean; error: string | null }>;
  webhookDeliveries: Array<{ status: string; attempts: number; lastError: string | null }>;
}

async function runs(ruleId: string): Promise<Run[]> {
  const { automationRuleExecutions } = await admin.data<{ automationRuleExecutions: Run[] }>(
    `query($id: ID!) { automationRuleExecutions(ruleId: $id) {
       status results { type ok error } webhookDeliveries { status attempts lastError } } }`,
    { id: ruleId },
  );
  return automationRuleExecutions;
}

beforeAll(async () => {
  stack = await startTestStack({ env: { WEBHOOK_ALLOW_PRIVATE_HOSTS: [] } });
  [admin, agent] = await Promise.all([stack.login('admin@demo.test'), stack.login('agent1@demo.test')]);
  engine = automationEngine(stack);
  server = http.createServer((req, res) => {
    received += 1;
    req.resume();
    res.writeHead(200).end();
  });
  await new Promise<void>((resolve) => server.listen(0, resolve)); // every interface: v4 and v6 loopback
  port = (server.address() as AddressInfo).port;
  await settle();
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await stack?.close();
});
beforeEach(async () => {
  overrideEnv({ WEBHOOK_ALLOW_PRIVATE_HOSTS: [] });
  await sql('delete from automation_rules');
  received = 0;
});

describe('saving a webhook rule', () => {
  it.each([
    ['loopback', () => `http://127.0.0.1:${port}/hook`, /127\.0\.0\.1 a loopback address/],
    ['a private address', () => 'http://10.0.0.1/hook', /10\.0\.0\.1 a private address/],
    ['cloud metadata', () => 'http://169.254.169.254/latest/meta-data/', /link-local/],
    ['IPv6 loopback', () => `http://[::1]:${port}/hook`, /::1 a loopback address/],
    ['IPv4-mapped IPv6 loopback', () => `http://[::ffff:127.0.0.1]:${port}/`, /loopback/],
    ['a name resolving to loopback', () => `http://localhost:${port}/hook`, /localhost resolves to .* loopback/],
    ['loopback written as a number', () => `http://2130706433:${port}/`, /loopback/],
    ['CGNAT', () => 'http://100.64.1.2/', /carrier-grade NAT/],
    ['user info', () => 'https://user:pass@hooks.example.com/', /user name or password/],
  ])('refuses %s with BAD_USER_INPUT naming the field', async (_what, url, reason) => {
    const answer = await admin.request(CREATE, { input: rule(url()) });
    expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(answer.errors?.[0]?.message).toMatch(/^actions\.0\.url: /);
    expect(answer.errors?.[0]?.message).toMatch(reason);
    expect(await sql('select id from automation_rules')).toHaveLength(0);
  });

  it('refuses other schemes', async () => {
    const answer = await admin.request(CREATE, { input: rule('ftp://hooks.example.com/x') });
    expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(answer.errors?.[0]?.message).toMatch(/^actions\.0\.url: must be an http\(s\) address/);
  });

  it('also on update', async () => {
    overrideEnv({ WEBHOOK_ALLOW_PRIVATE_HOSTS: ['127.0.0.0/8'] });
    const { createAutomationRule } = await admin.data<{ createAutomationRule: { id: string } }>(CREATE, {
      input: rule(`http://127.0.0.1:${port}/hook`),
    });
    overrideEnv({ WEBHOOK_ALLOW_PRIVATE_HOSTS: [] });
    const answer = await admin.request(
      'mutation($id: ID!, $input: AutomationRuleInput!) { updateAutomationRule(id: $id, input: $input) { id } }',
      { id: createAutomationRule.id, input: rule('http://192.168.1.1/') },
    );
    expect(answer.errors?.[0]?.message).toMatch(/^actions\.0\.url: 192\.168\.1\.1 a private address/);
  });
});

describe('sending', () => {
  async function ruleSavedWhileAllowed(url: string): Promise<string> {
    overrideEnv({ WEBHOOK_ALLOW_PRIVATE_HOSTS: ['127.0.0.0/8', '::1/128', 'localhost'] });
    const { createAutomationRule } = await admin.data<{ createAutomationRule: { id: string } }>(CREATE, {
      input: rule(url),
    });
    overrideEnv({ WEBHOOK_ALLOW_PRIVATE_HOSTS: [] });
    return createAutomationRule.id;
  }

  async function fire(): Promise<void> {
    await agent.data('mutation($input: CreateTicketInput!) { createTicket(input: $input) { id } }', {
      input: { title: 'Hook me', description: 'x' },
    });
    await settle();
  }

  it('refuses a loopback address at send time (allowed when saved, not any more)', async () => {
    const ruleId = await ruleSavedWhileAllowed(`http://127.0.0.1:${port}/hook`);
    await fire();
    const [run] = await runs(ruleId);
    expect(run?.status).toBe('PARTIAL');
    expect(run?.results[0]?.error).toMatch(/^Refused: 127\.0\.0\.1 a loopback address/);
    expect(run?.webhookDeliveries).toEqual([
      { status: 'FAILED', attempts: 1, lastError: expect.stringMatching(/loopback/) as unknown },
    ]);
    expect(received).toBe(0);
  });

  it('checks the resolved address of a host name (written straight into the database)', async () => {
    const ruleId = await ruleSavedWhileAllowed(`http://127.0.0.1:${port}/saved`);
    await sql(`update automation_rules set actions = jsonb_set(actions, '{0,url}', to_jsonb(?::text)) where id = ?`, [
      `http://localhost:${port}/hook`,
      ruleId,
    ]);
    await fire();
    const [run] = await runs(ruleId);
    expect(run?.results[0]?.error).toMatch(/^Refused: localhost resolves to (127\.0\.0\.1|::1), a loopback address/);
    expect(run?.webhookDeliveries[0]?.status).toBe('FAILED');
    expect(received).toBe(0);
  });

  it('reaches the same receiver when it is allowed', async () => {
    const ruleId = await ruleSavedWhileAllowed(`http://localhost:${port}/hook`);
    overrideEnv({ WEBHOOK_ALLOW_PRIVATE_HOSTS: ['127.0.0.0/8', '::1/128'] });
    await fire();
    const [run] = await runs(ruleId);
    expect(run?.status).toBe('SUCCEEDED');
    expect(received).toBe(1);
  });
});
