import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { startTestStack, type TestStack } from '../../../../tests/support/stack.js';
import type { GraphQLTestClient } from '../../../../tests/support/graphql-client.js';

let stack: TestStack;
let admin: GraphQLTestClient;
let agent: GraphQLTestClient;
let smtp: SMTPServer;
let smtpPort: number;

beforeAll(async () => {
  stack = await startTestStack();
  [admin, agent] = await Promise.all([stack.login('admin@demo.test'), stack.login('agent1@demo.test')]);
  smtp = new SMTPServer({
    authOptional: false,
    disabledCommands: ['STARTTLS'],
    onAuth: (auth, _session, callback) =>
      auth.username === 'mailer' && auth.password === 'right'
        ? callback(null, { user: 'mailer' })
        : callback(new Error('535 5.7.8 Authentication credentials invalid')),
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpPort = (smtp.server.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => smtp?.close(resolve));
  await stack?.close();
});

const CREATE = `mutation($input: EmailAddressInput!) {
  createEmailAddress(input: $input) { id address displayName color isDefault isActive health smtpUser }
}`;

function input(overrides: Record<string, unknown> = {}) {
  return {
    displayName: 'Demo Support',
    address: 'Support@Demo.test',
    color: '#10b981',
    imapHost: '127.0.0.1',
    imapPort: 1,
    imapTls: false,
    imapUser: 'support',
    imapPassword: 'imap-secret-1',
    smtpHost: '127.0.0.1',
    smtpPort,
    smtpSecurity: 'NONE',
    smtpUser: 'mailer',
    smtpPassword: 'right',
    ...overrides,
  };
}

describe('email addresses', () => {
  it('lets admins add an address; passwords are stored sealed and never returned', async () => {
    const { createEmailAddress } = await admin.data<{
      createEmailAddress: { id: string; address: string; isDefault: boolean };
    }>(CREATE, { input: input() });
    expect(createEmailAddress).toMatchObject({ address: 'support@demo.test', isDefault: true });
    const rows = await stack.runtime.orm.em
      .fork()
      .getConnection()
      .execute(`select imap_password_sealed, smtp_password_sealed from email_addresses where id = ?`, [
        createEmailAddress.id,
      ]);
    expect(JSON.stringify(rows)).not.toContain('imap-secret-1');
    expect(rows[0]?.imap_password_sealed).toMatch(/^v1:/);
    const schemaText = JSON.stringify(await admin.data('{ __type(name: "EmailAddress") { fields { name } } }'));
    expect(schemaText).not.toMatch(/password/i);
  });

  it('refuses agents and bad input with clear errors', async () => {
    const forbidden = await agent.request(CREATE, { input: input({ address: 'other@demo.test' }) });
    expect(forbidden.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const bad = await admin.request(CREATE, { input: input({ address: 'not an address', imapPort: 0 }) });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const duplicate = await admin.request(CREATE, { input: input() });
    expect(duplicate.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'address' });
  });

  it("tests SMTP against a real server and reports the server's own words", async () => {
    const { emailAddresses } = await admin.data<{ emailAddresses: Array<{ id: string }> }>('{ emailAddresses { id } }');
    const id = emailAddresses[0]!.id;
    const ok = await admin.data<{ testSmtpConnection: { ok: boolean; message: string } }>(
      'mutation($id: ID!) { testSmtpConnection(id: $id) { ok message } }',
      { id },
    );
    expect(ok.testSmtpConnection.ok).toBe(true);
    await admin.data(
      'mutation($id: ID!, $input: EmailAddressInput!) { updateEmailAddress(id: $id, input: $input) { id } }',
      {
        id,
        input: input({ imapPassword: null, smtpPassword: 'wrong' }),
      },
    );
    const failed = await admin.data<{ testSmtpConnection: { ok: boolean; message: string } }>(
      'mutation($id: ID!) { testSmtpConnection(id: $id) { ok message } }',
      { id },
    );
    expect(failed.testSmtpConnection).toMatchObject({ ok: false });
    expect(failed.testSmtpConnection.message).toMatch(/Authentication credentials invalid/);
    const imap = await admin.data<{ testImapConnection: { ok: boolean; message: string } }>(
      'mutation($id: ID!) { testImapConnection(id: $id) { ok message } }',
      { id },
    );
    expect(imap.testImapConnection.ok).toBe(false);
    expect(imap.testImapConnection.message).toMatch(/ECONNREFUSED/);
    const { emailAddresses: after } = await admin.data<{
      emailAddresses: Array<{ id: string; health: string; lastError: string }>;
    }>('{ emailAddresses { id health lastError } }');
    expect(after.find((a) => a.id === id)).toMatchObject({
      health: 'ERROR',
      lastError: expect.stringMatching(/ECONNREFUSED/),
    });
  });

  it('keeps exactly one default address', async () => {
    await admin.data(CREATE, { input: input({ address: 'billing@demo.test', isDefault: true }) });
    const { emailAddresses } = await admin.data<{ emailAddresses: Array<{ address: string; isDefault: boolean }> }>(
      '{ emailAddresses { address isDefault } }',
    );
    expect(emailAddresses.filter((a) => a.isDefault).map((a) => a.address)).toEqual(['billing@demo.test']);
  });

  it('opens a ticket for a chosen address and shows its colour', async () => {
    const { emailAddresses } = await agent.data<{ emailAddresses: Array<{ id: string; address: string }> }>(
      '{ emailAddresses { id address } }',
    );
    const support = emailAddresses.find((a) => a.address === 'support@demo.test')!;
    const { createTicket } = await agent.data<{ createTicket: { emailAddress: { address: string; color: string } } }>(
      'mutation($a: ID!) { createTicket(input: { title: "By phone", description: "x", emailAddressId: $a }) { emailAddress { address color } } }',
      { a: support.id },
    );
    expect(createTicket.emailAddress).toEqual({ address: 'support@demo.test', color: '#10b981' });
  });
});
