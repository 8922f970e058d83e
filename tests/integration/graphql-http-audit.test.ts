// GraphQL over HTTP conformance: graphql-http's server audits against the real API server.
// Every MUST audit has to pass; SHOULD/MAY results are printed for information.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverAudits, type AuditResult } from 'graphql-http';
import { startTestStack, type TestStack } from '../support/stack.js';

let stack: TestStack | undefined;
const audits = serverAudits({
  url: () => {
    if (!stack) throw new Error('the test stack is not running');
    return `${stack.url}/graphql`;
  },
  fetchFn: globalThis.fetch,
});

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.close();
});

function describeFailure(result: AuditResult): string {
  return result.status === 'ok' ? 'ok' : `${result.status}: ${result.reason}`;
}

describe('graphql-http server audits', () => {
  const must = audits.filter((audit) => audit.name.startsWith('MUST'));
  const others = audits.filter((audit) => !audit.name.startsWith('MUST'));

  it('finds the MUST audits', () => {
    expect(must.length).toBeGreaterThan(10);
  });

  for (const audit of must) {
    it(`${audit.id} ${audit.name}`, async () => {
      const result = await audit.fn();
      expect(describeFailure(result), audit.name).toBe('ok');
    });
  }

  it('reports the SHOULD and MAY audits', async () => {
    const rows: Array<{ id: string; audit: string; result: string }> = [];
    for (const audit of others) {
      const result = await audit.fn();
      rows.push({ id: audit.id, audit: audit.name, result: describeFailure(result).slice(0, 120) });
    }
    console.log(
      `graphql-http SHOULD/MAY audits:\n${rows.map((r) => `${r.id}  ${r.result.padEnd(12)}  ${r.audit}`).join('\n')}`,
    );
  });
});
