// An agent's own SMTP identity (seed 004), against real SMTP servers: public replies go out from the
// agent's address through their server (which checks the password), and from the ticket's address
// when their server fails. The password is write-only and the identity is the agent's alone.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../../../tests/support/stack.js';
import type { GraphQLTestClient } from '../../../../tests/support/graphql-client.js';
import { startSmtpServer, type SmtpTestServer } from '../../../../tests/support/mail-servers.js';
import { createSupportAddress } from '../../../../tests/support/support-address.js';

let stack: TestStack;
let agent: GraphQLTestClient;
let supportSmtp: SmtpTestServer;
let agentSmtp: SmtpTestServer;
let ticketId: string;

const IDENTITY = 'fromAddress fromName host port security username hasPassword lastError lastUsedAt';
const SAVE = `mutation($input: SmtpIdentityInput!) { saveMySmtpIdentity(input: $input) { ${IDENTITY} } }`;

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function reply(body: string): Promise<void> {
  await agent.data(`mutation($input: AddCommentInput!) { addComment(input: $input) { id } }`, {
    input: { ticketId, body, internal: false },
  });
  await stack.runtime.services.outbox.sendDue();
}

function header(raw: string, name: string): string | undefined {
  return new RegExp(`^${name}: (.*)$`, 'mi').exec(raw)?.[1]?.trim();
}

beforeAll(async () => {
  [supportSmtp, agentSmtp] = await Promise.all([
    startSmtpServer(),
    startSmtpServer({ auth: { user: 'alex', pass: 'app-password-1' } }),
  ]);
  stack = await startTestStack();
  const admin = await stack.login('admin@demo.test');
  agent = await stack.login('agent1@demo.test');
  const addressId = await createSupportAddress(admin, {
    displayName: 'Demo Support',
    address: 'identity-desk@demo.test',
    smtpPort: supportSmtp.port,
  });
  await stack.runtime.services.mailIngest.ingest(
    addressId,
    Buffer.from(
      'From: Rita <rita@identity.test>\r\nSubject: Identity: VPN drops\r\nMessage-ID: <id-1@identity.test>\r\n\r\nThe VPN drops every hour.\r\n',
    ),
    null,
  );
  const { tickets } = await agent.data<{ tickets: { nodes: Array<{ id: string }> } }>(
    `{ tickets(filter: { query: "VPN drops" }) { nodes { id } } }`,
  );
  ticketId = tickets.nodes[0]!.id;
  await stack.runtime.services.outbox.sendDue(); // the receipt, from the address
  await supportSmtp.waitFor(1);
});

afterAll(async () => {
  await stack?.close();
  await Promise.all([supportSmtp?.close(), agentSmtp?.close()]);
});

describe('an agent’s own SMTP identity', () => {
  it('is saved with a write-only password and tested against the server', async () => {
    const { saveMySmtpIdentity } = await agent.data<{ saveMySmtpIdentity: Record<string, unknown> }>(SAVE, {
      input: {
        fromAddress: 'Alex.Agent@Own-Domain.test',
        fromName: 'Alex from Demo',
        host: '127.0.0.1',
        port: agentSmtp.port,
        security: 'NONE',
        username: 'alex',
        password: 'app-password-1',
      },
    });
    expect(saveMySmtpIdentity).toMatchObject({ fromAddress: 'alex.agent@own-domain.test', hasPassword: true });
    const { __type } = await agent.data<{ __type: { fields: Array<{ name: string }> } }>(
      '{ __type(name: "SmtpIdentity") { fields { name } } }',
    );
    expect(__type.fields.map((f) => f.name).filter((n) => /password/i.test(n))).toEqual(['hasPassword']);
    const { testMySmtpIdentity } = await agent.data<{ testMySmtpIdentity: { ok: boolean; message: string } }>(
      'mutation { testMySmtpIdentity { ok message } }',
    );
    expect(testMySmtpIdentity.ok).toBe(true);
  });

  it('sends the agent’s public replies from their address through their server, replies to the ticket', async () => {
    await reply('Please update the VPN client to 4.2.');
    const [mail] = await agentSmtp.waitFor(1);
    expect(mail!.to).toEqual(['rita@identity.test']);
    expect(mail!.from).toBe('alex.agent@own-domain.test');
    expect(header(mail!.raw, 'From')).toContain('Alex from Demo');
    expect(header(mail!.raw, 'Reply-To')).toContain('identity-desk@demo.test');
    expect(header(mail!.raw, 'Subject')).toMatch(/\[Ticket#\d+\]/);
    expect(supportSmtp.received).toHaveLength(1); // only the receipt went through the address
  });

  it('falls back to the ticket’s address when the agent’s server fails, and says why', async () => {
    await agent.data(SAVE, {
      input: {
        fromAddress: 'alex.agent@own-domain.test',
        host: '127.0.0.1',
        port: await closedPort(),
        security: 'NONE',
        username: 'alex',
      },
    });
    await reply('A second try: please reinstall.');
    const received = await supportSmtp.waitFor(2);
    expect(received[1]!.from).toBe('identity-desk@demo.test');
    expect(received[1]!.raw).toContain('A second try');
    const { mySmtpIdentity } = await agent.data<{ mySmtpIdentity: { lastError: string | null; hasPassword: boolean } }>(
      `{ mySmtpIdentity { ${IDENTITY} } }`,
    );
    expect(mySmtpIdentity.lastError).toMatch(/ECONNREFUSED/);
    expect(mySmtpIdentity.hasPassword).toBe(true); // a save without a password keeps it
  });

  it('is each agent’s own, and not for customers', async () => {
    const other = await stack.login('agent2@demo.test');
    expect((await other.data<{ mySmtpIdentity: unknown }>('{ mySmtpIdentity { fromAddress } }')).mySmtpIdentity).toBe(
      null,
    );
    const customer = await stack.login('customer@demo.test');
    const refused = await customer.request('{ mySmtpIdentity { fromAddress } }');
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(
      (await agent.data<{ deleteMySmtpIdentity: boolean }>('mutation { deleteMySmtpIdentity }')).deleteMySmtpIdentity,
    ).toBe(true);
  });
});
