// Webhook deliveries and their retries, against a real local HTTP receiver and a real PostgreSQL.
// Rules fire through the engine as in the workers; retries are driven by calling the delivery
// service's `sendDue` with a clock the test moves (never waiting for minutes).
import http from 'node:http';
import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../../../tests/support/stack.js';
import type { GraphQLTestClient } from '../../../../tests/support/graphql-client.js';
import type { AutomationEngine } from './automation.engine.js';
import { automationEngine, settleAutomation } from '../../../../tests/support/automation.js';
import { MAX_ATTEMPTS, WebhookDeliveryService } from './webhook-delivery.service.js';

const SECRET = 'retry-secret-1';

let stack: TestStack;
let admin: GraphQLTestClient;
let manager: GraphQLTestClient;
let agent: GraphQLTestClient;
let engine: AutomationEngine;
let deliveries: WebhookDeliveryService;
let server: http.Server;
let url: string;

interface Received {
  path: string;
  body: string;
  signature: string | undefined;
  deliveryId: string | undefined;
}
let received: Received[] = [];
/** Statuses the receiver answers with, in turn, per path (then 200). */
let script: Record<string, number[]> = {};
let answerDelayMs = 0;

interface Delivery {
  id: string;
  status: string;
  attempts: number;
  maxAttempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  nextAttemptAt: string | null;
}
interface Run {
  status: string;
  results: Array<{ type: string; ok: boolean; summary: string; error: string | null }>;
  webhookDeliveries: Delivery[];
}
const DELIVERY = 'id status attempts maxAttempts lastStatusCode lastError deliveredAt nextAttemptAt';

const settle = () => settleAutomation(engine);

async function sql<T>(text: string, params: unknown[] = []): Promise<T[]> {
  return stack.runtime.services.orm.em.fork().getConnection().execute(text, params) as Promise<T[]>;
}

/** A rule calling `path` on ticket creation, fired once; returns the rule's id. */
async function fireRule(path: string): Promise<string> {
  const { createAutomationRule } = await admin.data<{ createAutomationRule: { id: string } }>(
    'mutation($input: AutomationRuleInput!) { createAutomationRule(input: $input) { id } }',
    {
      input: {
        name: `Hook ${path}`,
        trigger: { type: 'TICKET_CREATED' },
        actions: [{ type: 'WEBHOOK', url: `${url}${path}`, secret: SECRET }],
      },
    },
  );
  await agent.data('mutation($input: CreateTicketInput!) { createTicket(input: $input) { id } }', {
    input: { title: `Ticket for ${path}`, description: 'x' },
  });
  await settle();
  return createAutomationRule.id;
}

async function run(ruleId: string): Promise<Run> {
  const { automationRuleExecutions } = await admin.data<{ automationRuleExecutions: Run[] }>(
    `query($id: ID!) { automationRuleExecutions(ruleId: $id) {
       status results { type ok summary error } webhookDeliveries { ${DELIVERY} } } }`,
    { id: ruleId },
  );
  expect(automationRuleExecutions).toHaveLength(1);
  return automationRuleExecutions[0]!;
}

/** 200, then a body that never ends: only the size cap ends the attempt (the timeout would fail it). */
function endless(res: http.ServerResponse): void {
  received.push({ path: '/endless', body: '', signature: undefined, deliveryId: undefined });
  res.writeHead(200, { 'content-type': 'text/plain' });
  const chunk = Buffer.alloc(16 * 1024, 'x');
  const write = () => {
    if (!res.destroyed && !res.writableEnded) res.write(chunk, () => setImmediate(write));
  };
  write();
}

const after = (ms: number) => new Date(Date.now() + ms);
const calls = (path: string) => received.filter((r) => r.path === path);

beforeAll(async () => {
  stack = await startTestStack();
  [admin, manager, agent] = await Promise.all([
    stack.login('admin@demo.test'),
    stack.login('manager@demo.test'),
    stack.login('agent1@demo.test'),
  ]);
  engine = automationEngine(stack);
  deliveries = stack.runtime.services.webhookDeliveries;
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const path = req.url ?? '/';
      if (path === '/endless') return endless(res);
      received.push({
        path,
        body,
        signature: req.headers['x-switchboard-signature'] as string | undefined,
        deliveryId: req.headers['x-switchboard-delivery'] as string | undefined,
      });
      const status = script[path]?.shift() ?? 200;
      const headers = status === 302 ? { location: 'http://169.254.169.254/latest/meta-data/' } : {};
      setTimeout(() => res.writeHead(status, headers).end(status === 200 ? 'ok' : 'nope'), answerDelayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await settle();
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await stack?.close();
});
beforeEach(async () => {
  await sql('delete from automation_rules');
  received = [];
  script = {};
  answerDelayMs = 0;
});

describe('retries', () => {
  it('delivers on the 3rd attempt after two 503s: same body, signature and delivery id each time', async () => {
    script['/flaky'] = [503, 503];
    const ruleId = await fireRule('/flaky');
    let current = await run(ruleId);
    expect(current.webhookDeliveries).toMatchObject([{ status: 'RETRYING', attempts: 1, lastStatusCode: 503 }]);
    expect(current.status).toBe('PARTIAL');
    expect(current.results[0]).toMatchObject({ ok: false, error: 'HTTP 503' });

    // Not due before its 30 s backoff.
    expect(await deliveries.sendDue(20, after(20_000))).toBe(0);
    expect(await deliveries.sendDue(20, after(31_000))).toBe(1);
    current = await run(ruleId);
    expect(current.webhookDeliveries).toMatchObject([{ status: 'RETRYING', attempts: 2, lastError: 'HTTP 503' }]);
    // The second wait is 2 minutes.
    expect(await deliveries.sendDue(20, after(31_000 + 60_000))).toBe(0);
    expect(await deliveries.sendDue(20, after(31_000 + 121_000))).toBe(1);

    current = await run(ruleId);
    expect(current.webhookDeliveries).toMatchObject([
      { status: 'DELIVERED', attempts: 3, lastStatusCode: 200, lastError: null, nextAttemptAt: null },
    ]);
    expect(current.webhookDeliveries[0]?.deliveredAt).not.toBeNull();
    // The log says the run went through once the webhook did.
    expect(current.status).toBe('SUCCEEDED');
    expect(current.results[0]).toMatchObject({ ok: true, error: null });
    expect(current.results[0]?.summary).toMatch(/→ HTTP 200$/);

    const attempts = calls('/flaky');
    expect(attempts).toHaveLength(3);
    const first = attempts[0]!;
    expect(first.deliveryId).toBe(current.webhookDeliveries[0]?.id);
    expect(first.signature).toBe(`sha256=${crypto.createHmac('sha256', SECRET).update(first.body).digest('hex')}`);
    for (const attempt of attempts) {
      expect(attempt).toEqual({ ...first });
    }
    // Delivered: never sent again.
    expect(await deliveries.sendDue(20, after(48 * 3_600_000))).toBe(0);
    expect(calls('/flaky')).toHaveLength(3);
  });

  it('treats a 400 as final: failed, not retried', async () => {
    script['/bad'] = [400];
    const ruleId = await fireRule('/bad');
    expect((await run(ruleId)).webhookDeliveries).toMatchObject([
      { status: 'FAILED', attempts: 1, lastStatusCode: 400, lastError: 'HTTP 400', nextAttemptAt: null },
    ]);
    expect(await deliveries.sendDue(20, after(48 * 3_600_000))).toBe(0);
    expect(calls('/bad')).toHaveLength(1);
  });

  it('retries 429, and gives up after the first attempt and five retries', async () => {
    script['/down'] = [429, ...Array<number>(10).fill(500)];
    const ruleId = await fireRule('/down');
    let clock = Date.now();
    for (let i = 0; i < 10; i += 1) {
      clock += 7 * 3_600_000; // past any backoff
      await deliveries.sendDue(20, new Date(clock));
    }
    expect(calls('/down')).toHaveLength(MAX_ATTEMPTS);
    expect((await run(ruleId)).webhookDeliveries).toMatchObject([
      { status: 'FAILED', attempts: MAX_ATTEMPTS, maxAttempts: MAX_ATTEMPTS, lastError: 'HTTP 500' },
    ]);
  });

  it('does not follow redirects (a redirect to cloud metadata goes nowhere) and does not retry them', async () => {
    script['/moved'] = [302];
    const ruleId = await fireRule('/moved');
    const [delivery] = (await run(ruleId)).webhookDeliveries;
    expect(delivery).toMatchObject({ status: 'FAILED', lastStatusCode: 302 });
    expect(delivery?.lastError).toMatch(/redirect to http:\/\/169\.254\.169\.254\/.* not followed/);
    expect(received).toHaveLength(1);
  });

  it('stops reading an endless answer at the size cap instead of waiting for the timeout', async () => {
    const ruleId = await fireRule('/endless');
    const [delivery] = (await run(ruleId)).webhookDeliveries;
    expect(delivery).toMatchObject({ status: 'DELIVERED', attempts: 1, lastStatusCode: 200 });
  });

  it('sends a due delivery once however many workers claim at the same moment', async () => {
    script['/race'] = [503];
    const ruleId = await fireRule('/race');
    expect((await run(ruleId)).webhookDeliveries[0]?.status).toBe('RETRYING');
    answerDelayMs = 200; // the first claimer is still sending while the others look
    const { orm } = stack.runtime.services;
    const workers = Array.from({ length: 4 }, () => new WebhookDeliveryService(orm));
    const due = after(60_000);
    const made = await Promise.all(workers.map((worker) => worker.sendDue(20, due)));
    expect(made.reduce((a, b) => a + b, 0)).toBe(1);
    expect(calls('/race')).toHaveLength(2); // the first attempt and one retry
    expect((await run(ruleId)).webhookDeliveries[0]).toMatchObject({ status: 'DELIVERED', attempts: 2 });
  });
});

describe('retry now', () => {
  const RETRY = `mutation($id: ID!) { retryAutomationWebhookDelivery(id: $id) { ${DELIVERY} } }`;

  it('lets a manager send a failed delivery again at once; agents get FORBIDDEN', async () => {
    script['/later'] = [404];
    const ruleId = await fireRule('/later');
    const [failed] = (await run(ruleId)).webhookDeliveries;
    expect(failed?.status).toBe('FAILED');

    const refused = await agent.request(RETRY, { id: failed!.id });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(calls('/later')).toHaveLength(1);

    const { retryAutomationWebhookDelivery } = await manager.data<{ retryAutomationWebhookDelivery: Delivery }>(RETRY, {
      id: failed!.id,
    });
    expect(retryAutomationWebhookDelivery).toMatchObject({ status: 'DELIVERED', attempts: 2, lastStatusCode: 200 });
    expect(calls('/later')).toHaveLength(2);
    expect(calls('/later')[1]?.deliveryId).toBe(failed!.id);
    expect((await run(ruleId)).status).toBe('SUCCEEDED');

    const again = await manager.request(RETRY, { id: failed!.id });
    expect(again.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const unknown = await manager.request(RETRY, { id: crypto.randomUUID() });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('a manual retry that fails again stays failed', async () => {
    script['/gone'] = [410, 503];
    const ruleId = await fireRule('/gone');
    const [failed] = (await run(ruleId)).webhookDeliveries;
    const { retryAutomationWebhookDelivery } = await admin.data<{ retryAutomationWebhookDelivery: Delivery }>(RETRY, {
      id: failed!.id,
    });
    expect(retryAutomationWebhookDelivery).toMatchObject({ status: 'FAILED', attempts: 2, lastError: 'HTTP 503' });
    expect(await deliveries.sendDue(20, after(48 * 3_600_000))).toBe(0);
  });
});
