// Abusive and broken requests get a clear error, and the server stays healthy after each.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.js';
import { subscribe, type GraphQLResponse, type GraphQLTestClient } from '../support/graphql-client.js';

// No type is recursive enough (yet) to go past the default depth of 12, so this server allows 2:
// `{ me { id } }` is fine and `{ me { tenant { id } } }` is one level too deep.
const MAX_DEPTH = 2;

let stack: TestStack;
let agent: GraphQLTestClient;

beforeAll(async () => {
  stack = await startTestStack({ env: { GRAPHQL_MAX_DEPTH: MAX_DEPTH } });
  agent = await stack.login('agent1@demo.test');
});

afterAll(async () => {
  await stack?.close();
});

afterEach(async () => {
  const res = await fetch(`${stack.url}/healthz`);
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ status: 'ok' });
});

async function post(
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: GraphQLResponse }> {
  const res = await fetch(`${stack.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      authorization: `Bearer ${agent.token}`,
      ...headers,
    },
    body,
  });
  expect(res.headers.get('content-type')).toMatch(/json/);
  return { status: res.status, json: (await res.json()) as GraphQLResponse };
}

const code = (res: { json: GraphQLResponse }) => res.json.errors?.[0]?.extensions?.code;

describe('GraphQL limits', () => {
  it('accepts a query at the depth limit', async () => {
    expect(await agent.data('{ me { id } }')).toMatchObject({ me: { id: expect.any(String) } });
  });

  it('rejects a query nested deeper than GRAPHQL_MAX_DEPTH', async () => {
    const res = await agent.request('{ me { tenant { id } } }');
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toMatch(/depth limit of 2 exceeded/i);
    expect(res.data).toBeUndefined();
  });

  it('counts depth through fragments too', async () => {
    const res = await agent.request('query { me { ...T } } fragment T on User { tenant { ... on Tenant { id } } }');
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toMatch(/depth limit/i);
  });

  it('rejects too many aliases', async () => {
    const aliases = Array.from({ length: 31 }, (_, i) => `a${i}: me { id }`).join(' ');
    const res = await agent.request(`{ ${aliases} }`);
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toMatch(/aliases limit of 30 exceeded/i);
    // One alias fewer is fine.
    const fine = Array.from({ length: 30 }, (_, i) => `a${i}: me { id }`).join(' ');
    expect((await agent.request(`{ ${fine} }`)).errors).toBeUndefined();
  });

  it('rejects an excessively costly query', async () => {
    // Within the depth and alias limits, but 4,000 selections cost far more than 5,000.
    const res = await agent.request(`{ me { ${'id '.repeat(4_000)} } }`);
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toMatch(/cost limit of 5000 exceeded/i);
  });

  it('applies the depth limit over graphql-ws too', async () => {
    const ws = agent.ws();
    try {
      const deep = subscribe(ws, '{ me { tenant { id } } }');
      const first = await deep.next();
      const errors = first.errors as Array<{ message: string; extensions?: { code?: string } }>;
      expect(Array.isArray(errors)).toBe(true);
      expect(errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(errors[0]?.message).toMatch(/depth limit/i);
      // The socket is still usable.
      const shallow = subscribe<{ me: { id: string } }>(ws, '{ me { id } }');
      expect((await shallow.next()).data?.me.id).toEqual(expect.any(String));
    } finally {
      await ws.dispose();
    }
  });
});

describe('broken requests', () => {
  it('answers a malformed JSON body with 400 and a JSON error', async () => {
    const res = await post('{"query": "{ me { id } }"');
    expect(res.status).toBe(400);
    expect(code(res)).toBe('BAD_REQUEST');
  });

  it('answers a body over HTTP_BODY_LIMIT with 413 and a JSON error', async () => {
    const body = JSON.stringify({ query: '{ me { id } }', variables: { padding: 'x'.repeat(1_100_000) } });
    const res = await post(body);
    expect(res.status).toBe(413);
    expect(res.json.errors?.[0]?.message).toBe('Request body too large');
    expect(code(res)).toBe('BAD_REQUEST');
  });

  it('answers a GraphQL syntax error with GRAPHQL_PARSE_FAILED', async () => {
    const res = await post(JSON.stringify({ query: '{ me { id }' }));
    expect(res.status).toBe(400);
    expect(code(res)).toBe('GRAPHQL_PARSE_FAILED');
    expect(res.json.errors?.[0]?.message).toMatch(/Syntax Error/);
  });

  it('answers an unknown field with GRAPHQL_VALIDATION_FAILED', async () => {
    const res = await post(JSON.stringify({ query: '{ me { id } noSuchField }' }));
    expect(res.status).toBe(400);
    expect(code(res)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.json.errors?.[0]?.message).toMatch(/noSuchField/);
  });

  it('never shows a stack trace', async () => {
    const res = await post('not json at all');
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.json)).not.toMatch(/\n\s+at |node_modules/);
  });
});
