// The webhook retry job on a real Agenda (PostgreSQL job store): a delivery whose backoff has
// passed is sent again by the job and recorded as delivered.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../../tests/support/stack.js';
import { eventually } from '../../../tests/support/mail-servers.js';
import { automationEngine, settleAutomation } from '../../../tests/support/automation.js';
import { startScheduler } from '../scheduler.js';
import { SEND_WEBHOOK_DELIVERIES, registerSendWebhookDeliveries } from './send-webhook-deliveries.job.js';

let stack: TestStack;
let server: http.Server;
const answers = [503];
const deliveryIds: string[] = [];

async function sql<T>(text: string, params: unknown[] = []): Promise<T[]> {
  return stack.runtime.services.orm.em.fork().getConnection().execute(text, params) as Promise<T[]>;
}

const settle = () => settleAutomation(automationEngine(stack));

beforeAll(async () => {
  stack = await startTestStack();
  server = http.createServer((req, res) => {
    deliveryIds.push(String(req.headers['x-switchboard-delivery']));
    req.resume();
    req.on('end', () => res.writeHead(answers.shift() ?? 200).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await stack?.close();
});

describe('the webhook delivery job', () => {
  it('sends a delivery again once its backoff has passed', async () => {
    await settle(); // the engine's cursor starts here
    const admin = await stack.login('admin@demo.test');
    const agent = await stack.login('agent1@demo.test');
    const port = (server.address() as AddressInfo).port;
    await admin.data('mutation($input: AutomationRuleInput!) { createAutomationRule(input: $input) { id } }', {
      input: {
        name: 'Hook',
        trigger: { type: 'TICKET_CREATED' },
        actions: [{ type: 'WEBHOOK', url: `http://127.0.0.1:${port}/hook`, secret: 'abcdefgh' }],
      },
    });
    await agent.data('mutation($input: CreateTicketInput!) { createTicket(input: $input) { id } }', {
      input: { title: 'Hooked', description: 'x' },
    });
    await settle();
    expect(await sql('select status from automation_webhook_deliveries')).toEqual([{ status: 'RETRYING' }]);

    // The 30 s backoff, passed.
    await sql(`update automation_webhook_deliveries set next_attempt_at = now() - interval '1 second'`);
    // `every` also runs the job when the scheduler starts: whichever run claims the row sends it.
    const scheduler = await startScheduler(stack.runtime, (agenda) =>
      registerSendWebhookDeliveries(agenda, stack.runtime.services),
    );
    await scheduler.agenda.now(SEND_WEBHOOK_DELIVERIES);
    const row = await eventually(async () => {
      const [found] = await sql<{ id: string; status: string; attempts: number }>(
        'select id, status, attempts from automation_webhook_deliveries',
      );
      return found?.status === 'RETRYING' ? null : found;
    });
    await scheduler.stop();

    expect(row).toMatchObject({ status: 'DELIVERED', attempts: 2 });
    expect(deliveryIds).toEqual([row.id, row.id]);
  });
});
