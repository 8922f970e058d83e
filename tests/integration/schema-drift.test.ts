// The committed schema (what the client's codegen and reviewers read) must match the code, both as
// the test suite builds it (Vitest) and as `pnpm start` and `pnpm schema:write` build it (swc-node).
// The two compilers emit different decorator metadata for a `@Field()` without an explicit type
// (an enum property, say), and then tests would exercise another schema than production serves.
import 'reflect-metadata';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../server/src/config/env.js';
import { printAppSchema } from '../../server/src/graphql/print-schema.js';

const STALE = 'schema/schema.graphql is stale: run pnpm schema:write';

let committed: string;
let underSwc: Promise<string>;

/** printAppSchema() in a fresh Node process under swc-node, like scripts/run-ts.mjs runs it. */
async function printUnderSwc(): Promise<string> {
  const printer = path.join(repoRoot, 'server', 'src', 'graphql', 'print-schema.ts');
  const script = `const m = await import(${JSON.stringify(new URL(`file://${printer}`).href)}); process.stdout.write(await m.printAppSchema());`;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', '@swc-node/register/esm-register', '--input-type=module', '-e', script],
    {
      cwd: repoRoot,
      env: { ...process.env, SWC_NODE_PROJECT: path.join(repoRoot, 'tsconfig.json'), LOG_LEVEL: 'silent' },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return stdout;
}

beforeAll(() => {
  committed = fs.readFileSync(path.join(repoRoot, 'schema', 'schema.graphql'), 'utf8').replace(/\r\n/g, '\n');
  underSwc = printUnderSwc();
  underSwc.catch(() => undefined); // awaited in its test
});

describe('schema/schema.graphql', () => {
  it('is what the server code prints', async () => {
    const printed = await printAppSchema();
    if (printed !== committed && (await underSwc.catch(() => '')) === committed) {
      // Same sources, different compiler: say so rather than ask for a schema:write that changes nothing.
      expect(
        printed,
        'the schema differs between Vitest and swc: give the differing @Field() an explicit type, e.g. @Field(() => String)',
      ).toBe(committed);
    }
    expect(printed, STALE).toBe(committed);
  });

  it('is what the server code prints under swc-node, as pnpm start runs it', async () => {
    expect(await underSwc, STALE).toBe(committed);
  });
});
