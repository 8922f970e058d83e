import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../../../tests/support/stack.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.close();
});

const ME = '{ me { email name role tenant { name } } }';

describe('sign-in', () => {
  it('signs in a demo user and answers me', async () => {
    const agent = await stack.login('agent1@demo.test');
    const { me } = await agent.data<{ me: { email: string; role: string; tenant: { name: string } } }>(ME);
    expect(me).toMatchObject({ email: 'agent1@demo.test', role: 'AGENT', tenant: { name: 'Demo Support' } });
  });

  it('treats the email case-insensitively', async () => {
    const token = await stack.client().login('  Manager@Demo.TEST ', 'switchboard');
    expect(token).toMatch(/^sb_/);
  });

  it('rejects a wrong password and an unknown user with the same error', async () => {
    const wrong = await stack
      .client()
      .request('mutation { login(email: "agent2@demo.test", password: "nope") { token } }');
    const unknown = await stack
      .client()
      .request('mutation { login(email: "ghost@demo.test", password: "nope") { token } }');
    expect(wrong.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(unknown.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(wrong.errors?.[0]?.message).toBe(unknown.errors?.[0]?.message);
  });

  it('answers anonymous calls with UNAUTHENTICATED but serves __typename', async () => {
    const anonymous = stack.client();
    expect((await anonymous.request(ME)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await anonymous.data('{ __typename }')).toEqual({ __typename: 'Query' });
  });

  it('rejects a made-up token', async () => {
    const res = await stack.client('sb_not-a-real-token').request(ME);
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('logout', () => {
  it('revokes the token', async () => {
    const agent = await stack.login('agent2@demo.test');
    expect((await agent.data<{ logout: boolean }>('mutation { logout }')).logout).toBe(true);
    const after = await agent.request(ME);
    expect(after.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('closes the sockets of a revoked token', async () => {
    const agent = await stack.login('agent1@demo.test');
    const closed = new Promise<number>((resolve) => {
      const ws = agent.ws({ onClosed: (code) => resolve(code) });
      void ws;
    });
    await new Promise((r) => setTimeout(r, 300));
    await agent.data('mutation { logout }');
    expect(await closed).toBe(4401);
  });
});

describe('login rate limiting', () => {
  it('blocks an account after repeated failures, even with the right password, and says when to retry', async () => {
    const anonymous = stack.client();
    for (let i = 0; i < 10; i++) {
      await anonymous.request('mutation { login(email: "customer@demo.test", password: "wrong") { token } }');
    }
    const blocked = await anonymous.request(
      'mutation { login(email: "customer@demo.test", password: "switchboard") { token } }',
    );
    expect(blocked.errors?.[0]?.extensions?.code).toBe('TOO_MANY_REQUESTS');
    expect(blocked.errors?.[0]?.message).toMatch(/try again in \d+ s/);
    // Another account from the same address is not blocked yet.
    expect(await anonymous.login('manager@demo.test', 'switchboard')).toMatch(/^sb_/);
  });
});

describe('password reset', () => {
  it('says true for unknown addresses too, and a reset token sets a new password and ends old sessions', async () => {
    const anonymous = stack.client();
    expect(await anonymous.data('mutation { requestPasswordReset(email: "nobody@demo.test") }')).toEqual({
      requestPasswordReset: true,
    });
    const old = await stack.login('agent2@demo.test');
    const created = await stack.runtime.services.auth.createPasswordResetToken('agent2@demo.test');
    expect(created).not.toBeNull();
    await anonymous.data('mutation($t: String!) { resetPassword(token: $t, password: "new-password-1") }', {
      t: created!.token,
    });
    expect((await old.request(ME)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await anonymous.login('agent2@demo.test', 'new-password-1')).toMatch(/^sb_/);
    const reused = await anonymous.request(
      'mutation($t: String!) { resetPassword(token: $t, password: "another-pass") }',
      {
        t: created!.token,
      },
    );
    expect(reused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
