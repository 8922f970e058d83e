// Anonymous access, generated from the served schema: every root field except those that sign in
// or reset a password answers UNAUTHENTICATED to a caller without a token, over HTTP (queries and
// mutations) and over graphql-ws (queries and subscriptions). New operations are covered as added.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphQLSchema } from 'graphql';
import type { Client } from 'graphql-ws';
import { startTestStack, type TestStack } from '../support/stack.js';
import { subscribe, type GraphQLResponse } from '../support/graphql-client.js';
import {
  argumentValues,
  introspect,
  operationText,
  probeSelection,
  randomId,
  rootFields,
  type RootField,
} from '../support/schema-operations.js';

/** The only operations open to anonymous callers. */
const PUBLIC_FIELDS = new Set(['login', 'requestPasswordReset', 'resetPassword']);

let stack: TestStack;
let schema: GraphQLSchema;
let ws: Client;

beforeAll(async () => {
  stack = await startTestStack();
  ({ schema } = await introspect(stack.client()));
  ws = stack.client().ws();
});

afterAll(async () => {
  await ws?.dispose();
  await stack?.close();
});

function operation(root: RootField) {
  const variables = argumentValues(root.field, null, randomId());
  return { text: operationText(root.kind, root.field, variables, probeSelection(schema, root.field.type)), variables };
}

/** What is wrong with an answer, or null when it is UNAUTHENTICATED and carries no data. */
function problem(root: RootField, res: Pick<GraphQLResponse, 'data' | 'errors'>): string | null {
  const codes = (res.errors ?? []).map((error) => error.extensions?.code ?? `no code (${error.message})`);
  if (codes.length === 0) return `answered without an error: ${JSON.stringify(res.data).slice(0, 200)}`;
  if (codes.some((code) => code !== 'UNAUTHENTICATED')) return `answered ${codes.join(', ')}`;
  const value = (res.data as Record<string, unknown> | null | undefined)?.[root.field.name];
  if (value !== null && value !== undefined) return `returned data with the error: ${JSON.stringify(value)}`;
  return null;
}

async function overSocket(root: RootField): Promise<Pick<GraphQLResponse, 'data' | 'errors'>> {
  const { text, variables } = operation(root);
  const sub = subscribe<Record<string, unknown>>(ws, text, variables);
  try {
    const first = await sub.next(5_000);
    if (first.errors !== undefined && !Array.isArray(first.errors)) {
      const close = first.errors as { code?: number; reason?: string; message?: string };
      return { errors: [{ message: `socket failed: ${close.code ?? ''} ${close.reason ?? close.message ?? ''}` }] };
    }
    return { data: first.data, errors: first.errors as GraphQLResponse['errors'] };
  } catch (error) {
    return { errors: [{ message: `no answer: ${(error as Error).message}` }] };
  } finally {
    sub.dispose();
  }
}

describe('anonymous callers', () => {
  const rows: Array<{ operation: string; transport: string; result: string }> = [];

  it('get UNAUTHENTICATED from every operation but sign-in and password reset', async () => {
    const fields = rootFields(schema).filter((root) => !PUBLIC_FIELDS.has(root.field.name));
    const anonymous = stack.client();
    for (const root of fields) {
      const transports: Array<['http' | 'ws', () => Promise<Pick<GraphQLResponse, 'data' | 'errors'>>]> = [];
      if (root.kind !== 'subscription') {
        transports.push([
          'http',
          () => {
            const { text, variables } = operation(root);
            return anonymous.request(text, variables);
          },
        ]);
      }
      if (root.kind !== 'mutation') transports.push(['ws', () => overSocket(root)]);
      for (const [transport, call] of transports) {
        const found = problem(root, await call());
        rows.push({ operation: `${root.kind} ${root.field.name}`, transport, result: found ?? 'UNAUTHENTICATED' });
      }
    }
    console.log(
      [
        `anonymous access: ${rows.length} calls`,
        ...rows.map((r) => `${r.operation.padEnd(40)} ${r.transport.padEnd(5)} ${r.result}`),
      ].join('\n'),
    );
    expect(fields.length).toBeGreaterThanOrEqual(2); // me and logout at least
    expect(rows.filter((row) => row.result !== 'UNAUTHENTICATED')).toEqual([]);
  });

  it('may still sign in and ask for __typename', async () => {
    const anonymous = stack.client();
    expect(await anonymous.data('{ __typename }')).toEqual({ __typename: 'Query' });
    expect(await anonymous.login('agent1@demo.test', 'switchboard')).toMatch(/^sb_/);
    const reset = await anonymous.request('mutation { requestPasswordReset(email: "nobody@example.test") }');
    expect(reset.errors).toBeUndefined();
  });
});
