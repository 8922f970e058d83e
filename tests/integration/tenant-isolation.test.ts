// Tenant isolation, generated from the served schema: every query, mutation and subscription that
// takes an ID (as an argument, inside an input object at any depth, or in a list) is called by the
// admin of "Other Co" with ids of "Demo Support". None may answer with Demo Support's data or
// change the database. Operations added later are covered without touching this file.
import 'reflect-metadata';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildSchema,
  getNamedType,
  introspectionFromSchema,
  parse,
  validate,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import { startTestStack, type TestStack } from '../support/stack.js';
import { subscribe, type GraphQLResponse, type GraphQLTestClient } from '../support/graphql-client.js';
import {
  argumentValues,
  collectIds,
  countIdTakingFields,
  idArgumentPaths,
  idFieldsOf,
  idSelection,
  introspect,
  isEmptyResult,
  mapLimit,
  operationText,
  probeSelection,
  rootFields,
  stringsIn,
  typeForIdSlot,
  type DummyOptions,
  type IdArgumentPath,
  type RootField,
} from '../support/schema-operations.js';
import { changedTables, databaseDigest, tenantDigest, tenantOwnedIds } from '../support/database-digest.js';
import { acrossTenants, forTenant, TenantViolationError } from '../../server/src/db/tenant-scope.js';
import { Role, User } from '../../server/src/modules/users/user.entity.js';

/** Sign-in and password reset act on accounts, not on ids; logout would end the probing session. */
const SKIPPED = new Set(['login', 'logout', 'requestPasswordReset', 'resetPassword']);
const ALLOWED_CODES = new Set(['FORBIDDEN', 'NOT_FOUND', 'BAD_USER_INPUT']);
/** Ids probed per kind of object (every Demo Support user is probed regardless). */
const IDS_PER_KIND = 5;
const SUBSCRIPTION_WAIT_MS = 1_500;

/**
 * Reported problems that leak nothing of Demo Support (a foreign id accepted and ignored, or a
 * no-op answered with `true`), listed so that they do not fail everyone's `pnpm test` until their
 * module fixes them. They stay in the printed table; returning Demo Support's data or changing its
 * rows still fails them; and the test fails once one no longer reproduces, so that the entry gets
 * removed. Never list an operation that reads or changes another tenant's data.
 */
const KNOWN_ISSUES: Record<string, string> = {};
const LEAK = 'returned Demo Support data';
const WROTE = 'changed Demo Support rows';
/** Problems that no entry in KNOWN_ISSUES can excuse. */
const crossesTenants = (problem: string) => problem.startsWith(LEAK) || problem.startsWith(WROTE);

let stack: TestStack;
let db: pg.Client;
let schema: GraphQLSchema;
let raw: IntrospectionQuery;
let demoAdmin: GraphQLTestClient;
let otherAdmin: GraphQLTestClient;
let demoTenantId: string;
let otherTenantId: string;

beforeAll(async () => {
  stack = await startTestStack();
  db = new pg.Client({ connectionString: stack.databaseUrl });
  await db.connect();
  ({ schema, raw } = await introspect(stack.client()));
  demoAdmin = await stack.login('admin@demo.test');
  otherAdmin = await stack.login('admin@other.test');
  const { rows } = await db.query<{ id: string; name: string }>('select id::text as id, name from tenants');
  demoTenantId = rows.find((row) => row.name === 'Demo Support')!.id;
  otherTenantId = rows.find((row) => row.name === 'Other Co')!.id;
});

afterAll(async () => {
  await db?.end();
  await stack?.close();
});

// ---------------------------------------------------------------------------------------------
// The generator itself, on a schema with every shape it must handle.

describe('the operation generator', () => {
  const sdl = /* GraphQL */ `
    scalar DateTimeISO
    enum Level {
      HIGH
      LOW
    }
    input Inner {
      ownerId: ID
      level: Level!
    }
    input Deep {
      ids: [ID!]!
      note: String
      inner: Inner
    }
    input Filter {
      query: String
    }
    type Other {
      id: ID!
      label: String
    }
    type Thing {
      id: ID!
      name: String!
      parent: Thing
      other: Other
      children(first: Int!): [Thing!]!
    }
    type Query {
      thing(id: ID!): Thing
      things(filter: Filter): [Thing!]!
      search(deep: Deep!, first: Int!): [Thing!]!
    }
    type Mutation {
      touch(input: Deep!, at: DateTimeISO!): Boolean!
    }
    type Subscription {
      thingEvents(thingId: ID!, after: ID): Thing!
    }
  `;
  const synthetic = buildSchema(sdl);
  const field = (kind: RootField['kind'], name: string) => rootFields(synthetic).find((f) => f.field.name === name)!;

  it('finds ID arguments directly, in nested input objects and in lists', () => {
    const labels = (name: string) => idArgumentPaths(rootFields(synthetic).find((f) => f.field.name === name)!.field);
    expect(labels('thing').map((p) => p.label)).toEqual(['id']);
    expect(labels('things')).toEqual([]);
    expect(labels('search').map((p) => p.label)).toEqual(['deep.ids[]', 'deep.inner.ownerId']);
    expect(labels('touch').map((p) => p.label)).toEqual(['input.ids[]', 'input.inner.ownerId']);
    expect(labels('thingEvents').map((p) => p.label)).toEqual(['thingId', 'after']);
  });

  it('fills required arguments with type-correct values and puts the id where asked', () => {
    const search = field('query', 'search').field;
    const ownerPath = idArgumentPaths(search).find((p) => p.label === 'deep.inner.ownerId')!;
    expect(argumentValues(search, ownerPath, 'F')).toEqual({
      deep: { ids: ['F'], inner: { ownerId: 'F', level: 'HIGH' } },
      first: 1,
    });
    const touch = field('mutation', 'touch').field;
    const values = argumentValues(touch, idArgumentPaths(touch)[0]!, 'F');
    expect(values).toMatchObject({ input: { ids: ['F'] } });
    expect(new Date(values.at as string).getTime()).toBeGreaterThan(0);
  });

  it('writes operations that validate against the schema', () => {
    for (const root of rootFields(synthetic)) {
      for (const path of [...idArgumentPaths(root.field), null]) {
        const variables = argumentValues(root.field, path, 'F');
        const text = operationText(root.kind, root.field, variables, probeSelection(synthetic, root.field.type));
        expect(validate(synthetic, parse(text)), text).toEqual([]);
        const ids = operationText(root.kind, root.field, variables, idSelection(synthetic, root.field.type, 3));
        expect(validate(synthetic, parse(ids)), ids).toEqual([]);
      }
    }
    const selection = probeSelection(synthetic, field('query', 'thing').field.type);
    expect(selection).toContain('name');
    expect(selection).toContain('other { __typename id }');
    expect(selection).not.toContain('children');
  });

  it('guesses the type an ID slot names', () => {
    const types = ['Ticket', 'TimelineEvent', 'User', 'EmailAddress', 'Team'];
    expect(typeForIdSlot('ticketId', types)).toBe('Ticket');
    expect(typeForIdSlot('eventId', types)).toBe('TimelineEvent');
    expect(typeForIdSlot('assigneeIds', types)).toBe('User');
    expect(typeForIdSlot('emailAddressId', types)).toBe('EmailAddress');
    expect(typeForIdSlot('id', types, 'Team')).toBe('Team');
    expect(typeForIdSlot('calendarId', types)).toBeUndefined();
    const search = field('query', 'search').field;
    const ids = idArgumentPaths(search).find((p) => p.label === 'deep.ids[]')!;
    expect(argumentValues(search, ids, 'F', { idFor: (name) => (name === 'ids' ? 'OWN' : undefined) })).toEqual({
      deep: { ids: ['F'] },
      first: 1,
    });
    const owner = idArgumentPaths(search).find((p) => p.label === 'deep.inner.ownerId')!;
    expect(argumentValues(search, owner, 'F', { idFor: (name) => (name === 'ids' ? 'OWN' : undefined) })).toEqual({
      deep: { ids: ['OWN'], inner: { ownerId: 'F', level: 'HIGH' } },
      first: 1,
    });
  });

  it('counts ID-taking operations independently from the raw introspection result', () => {
    expect(countIdTakingFields(introspectionFromSchema(synthetic), new Set())).toEqual({
      query: ['thing', 'search'],
      mutation: ['touch'],
      subscription: ['thingEvents'],
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Collecting Demo Support's ids.

/** Calls every query without required arguments, selecting ID fields at every level below. */
async function walkIds(client: GraphQLTestClient, log: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const idFields = idFieldsOf(schema);
  for (const root of rootFields(schema)) {
    if (root.kind !== 'query' || SKIPPED.has(root.field.name)) continue;
    if (root.field.args.some((arg) => arg.type.toString().endsWith('!') && arg.defaultValue === undefined)) continue;
    const selection = (depth: number) => idSelection(schema, root.field.type, depth);
    if (selection(0) === '') continue; // a scalar answer carries no ids
    let depth = 4;
    let res: GraphQLResponse;
    for (;;) {
      res = await client.request(`query Walk { ${root.field.name} ${selection(depth)} }`);
      const limited = res.errors?.some((e) => e.extensions?.code === 'BAD_USER_INPUT' && /limit/i.test(e.message));
      if (!limited || depth === 0) break;
      depth -= 1; // too deep or too costly for the server's limits: select less
    }
    const before = found.size;
    collectIds(res.data, idFields, found);
    log.push(
      `${root.field.name} (depth ${depth}): ${found.size - before} ids${res.errors ? `, errors ${codes(res)}` : ''}`,
    );
  }
  return found;
}

const codes = (res: GraphQLResponse) => (res.errors ?? []).map((e) => e.extensions?.code ?? 'NO_CODE').join(',');

interface Probe {
  id: string;
  kind: string;
}

let probes: Probe[] = [];
/** Strings that must never appear in an answer to Other Co: Demo Support's ids and user emails. */
const foreign = new Set<string>();

describe('Demo Support ids', () => {
  it('collects ids through the queries and from the database', async () => {
    const log: string[] = [];
    const demoSeen = await walkIds(demoAdmin, log);
    const otherSeen = await walkIds(otherAdmin, []); // what Other Co may legitimately see
    const owned = await tenantOwnedIds(db, demoTenantId);
    const { rows: emails } = await db.query<{ email: string }>('select email from users where tenant_id = $1', [
      demoTenantId,
    ]);

    const byKind = new Map<string, string[]>();
    const add = (kind: string, id: string) => {
      if (otherSeen.has(id) || foreign.has(id)) return;
      foreign.add(id);
      if (!byKind.has(kind)) byKind.set(kind, []);
      byKind.get(kind)!.push(id);
    };
    add('Tenant', demoTenantId);
    for (const [id, kind] of demoSeen) add(kind, id);
    for (const [table, ids] of owned) for (const id of ids) add(`table ${table}`, id);
    for (const { email } of emails) foreign.add(email);

    const chosen = new Map<string, Probe>();
    for (const id of owned.get('users') ?? []) chosen.set(id, { id, kind: 'table users' });
    for (const [kind, ids] of byKind) {
      for (const id of ids.slice(0, IDS_PER_KIND)) if (!chosen.has(id)) chosen.set(id, { id, kind });
    }
    probes = [...chosen.values()];

    console.log(
      [
        `walk as admin@demo.test: ${log.join('; ') || 'no queries without required arguments'}`,
        `Demo Support ids: ${foreign.size - emails.length} known, ${probes.length} probed`,
        ...[...byKind].map(([kind, ids]) => `  ${kind}: ${ids.length}`),
      ].join('\n'),
    );
    expect(owned.get('users')?.length).toBeGreaterThanOrEqual(5);
    expect(demoSeen.size).toBeGreaterThanOrEqual(2); // at least me and my tenant
    expect(probes.length).toBeGreaterThanOrEqual(6);
  });
});

// ---------------------------------------------------------------------------------------------
// Probing every ID-taking operation as Other Co.

interface Row {
  operation: string;
  argument: string;
  calls: number;
  outcomes: Map<string, number>;
  /** The first error message, to tell a real refusal from a dummy value the server disliked. */
  example?: string;
  problems: string[];
}

const rows: Row[] = [];

function classify(kind: RootField['kind'], field: RootField['field'], res: GraphQLResponse, probe: Probe) {
  const problems: string[] = [];
  const leaked = stringsIn(res.data).filter((value) => foreign.has(value));
  if (leaked.length > 0) problems.push(`${LEAK} (${leaked.join(', ')}) for ${probe.kind} ${probe.id}`);
  let outcome: string;
  const example = res.errors?.[0]?.message;
  if (res.errors?.length) {
    const bad = res.errors.filter((e) => !ALLOWED_CODES.has(e.extensions?.code ?? ''));
    outcome = res.errors[0]!.extensions?.code ?? 'NO_CODE';
    if (outcome === 'BAD_USER_INPUT' && /^Variable "\$/.test(res.errors[0]!.message)) outcome += ' (variables)';
    for (const error of bad) {
      problems.push(`${error.extensions?.code ?? 'no code'}: ${error.message} (for ${probe.kind} ${probe.id})`);
    }
  } else {
    const value = (res.data as Record<string, unknown> | null | undefined)?.[field.name];
    outcome = value === null || value === undefined ? 'null' : 'empty';
    if (!isEmptyResult(value)) {
      problems.push(`${kind} answered with data for ${probe.kind} ${probe.id}: ${JSON.stringify(value).slice(0, 200)}`);
      outcome = 'DATA';
    }
  }
  return { outcome, problems, example };
}

function record(row: Row, outcome: string, problems: string[], example?: string) {
  row.calls += 1;
  row.example ??= example;
  row.outcomes.set(outcome, (row.outcomes.get(outcome) ?? 0) + 1);
  row.problems.push(...problems);
}

/** One id per type that Other Co owns: used for the other ID slots of an operation. */
const own = new Map<string, string>();

interface Case {
  root: RootField;
  path: IdArgumentPath;
  /** Shown after the argument: how the other ID slots were filled. */
  variant: string;
  options: DummyOptions;
}

/**
 * Every (operation, ID slot) pair, with the other required IDs set to the same foreign id; and
 * again, when they differ, with the other IDs set to Other Co's own objects of the likely type
 * (e.g. `updateTicket(input: { ticketId: <own ticket>, assigneeId: <Demo Support user> })`), so
 * that a check behind the first lookup is reached too.
 */
function cases(kinds: RootField['kind'][]): Case[] {
  const typenames = Object.keys(schema.getTypeMap());
  return rootFields(schema)
    .filter((root) => kinds.includes(root.kind) && !SKIPPED.has(root.field.name))
    .flatMap((root) =>
      idArgumentPaths(root.field).flatMap((path) => {
        const returned = getNamedType(root.field.type).name;
        const idFor = (name: string) => {
          const type = typeForIdSlot(name, typenames, returned);
          return type ? own.get(type) : undefined;
        };
        const plain = argumentValues(root.field, path, FOREIGN_MARK);
        const mixed = argumentValues(root.field, path, FOREIGN_MARK, { idFor });
        const variants: Case[] = [{ root, path, variant: '', options: {} }];
        if (JSON.stringify(plain) !== JSON.stringify(mixed)) {
          variants.push({ root, path, variant: ' (own ids elsewhere)', options: { idFor } });
        }
        return variants;
      }),
    );
}
const FOREIGN_MARK = '00000000-0000-4000-8000-000000000000';

describe('Other Co against Demo Support ids', () => {
  it('gives Other Co objects of its own, through its create-like mutations', async () => {
    const created = new Map<string, string>();
    const log: string[] = [];
    for (const root of rootFields(schema)) {
      if (root.kind !== 'mutation' || SKIPPED.has(root.field.name)) continue;
      if (!/^(create|save|add|open|start|invite|new|register|upsert)/i.test(root.field.name)) continue;
      const variables = argumentValues(root.field, null, FOREIGN_MARK);
      if (stringsIn(variables).includes(FOREIGN_MARK)) continue; // needs an existing object
      const res = await otherAdmin.request(
        operationText('mutation', root.field, variables, idSelection(schema, root.field.type, 2)),
        variables,
      );
      collectIds(res.data, idFieldsOf(schema), created);
      log.push(`${root.field.name}: ${res.errors ? codes(res) : 'ok'}`);
    }
    const seen = await walkIds(otherAdmin, []);
    for (const [id, kind] of [...created, ...seen]) {
      if (!kind.includes('.') && !own.has(kind) && !foreign.has(id)) own.set(kind, id);
    }
    console.log(
      `Other Co's own objects: ${[...own.keys()].join(', ') || 'none'} (seeded with ${log.join('; ') || 'nothing'})`,
    );
    expect(own.has('User')).toBe(true);
  });

  it('queries and mutations answer null, empty, FORBIDDEN, NOT_FOUND or BAD_USER_INPUT and change nothing', async () => {
    expect(probes.length).toBeGreaterThan(0);
    for (const { root, path, variant, options } of cases(['query', 'mutation'])) {
      const row: Row = {
        operation: `${root.kind} ${root.field.name}`,
        argument: `${path.label}${variant}`,
        calls: 0,
        outcomes: new Map(),
        problems: [],
      };
      rows.push(row);
      const selection = probeSelection(schema, root.field.type);
      const before = await databaseDigest(db);
      const demoBefore = await tenantDigest(db, demoTenantId);
      const results = await mapLimit(probes, 8, async (probe) => {
        const variables = argumentValues(root.field, path, probe.id, options);
        const res = await otherAdmin.request(operationText(root.kind, root.field, variables, selection), variables);
        return classify(root.kind, root.field, res, probe);
      });
      for (const { outcome, problems, example } of results) record(row, outcome, problems, example);
      const demoChanged = changedTables(demoBefore, await tenantDigest(db, demoTenantId));
      if (demoChanged.length > 0) row.problems.push(`${WROTE} in ${demoChanged.join(', ')}`);
      const changed = changedTables(before, await databaseDigest(db));
      if (changed.length > 0) row.problems.push(`changed the database: ${changed.join(', ')}`);
    }
  }, 600_000);

  it('subscriptions answer an error or nothing and change nothing', async () => {
    const before = await databaseDigest(db);
    for (const { root, path, variant, options } of cases(['subscription'])) {
      const row: Row = {
        operation: `subscription ${root.field.name}`,
        argument: `${path.label}${variant}`,
        calls: 0,
        outcomes: new Map(),
        problems: [],
      };
      rows.push(row);
      const ws = otherAdmin.ws();
      const selection = probeSelection(schema, root.field.type);
      const running = probes.map((probe) => {
        const variables = argumentValues(root.field, path, probe.id, options);
        return {
          probe,
          sub: subscribe(ws, operationText('subscription', root.field, variables, selection), variables),
        };
      });
      await new Promise((resolve) => setTimeout(resolve, SUBSCRIPTION_WAIT_MS));
      for (const { probe, sub } of running) {
        sub.dispose();
        if (sub.received.length === 0) {
          record(row, 'no event', []);
          continue;
        }
        for (const message of sub.received) {
          const errors = message.errors;
          if (errors !== undefined && !Array.isArray(errors)) {
            // A socket-level failure: a close event or an Error, never an acceptable answer.
            const close = errors as { code?: number; reason?: string; message?: string };
            record(row, 'SOCKET', [`socket failed: ${close.code ?? ''} ${close.reason ?? close.message ?? ''}`]);
            continue;
          }
          const res = { status: 0, data: message.data as Record<string, unknown> | null, errors } as GraphQLResponse;
          const { outcome, problems, example } = classify('subscription', root.field, res, probe);
          record(row, outcome, problems, example);
        }
      }
      await ws.dispose();
    }
    const changed = changedTables(before, await databaseDigest(db));
    expect(changed, 'subscriptions changed the database').toEqual([]);
  }, 600_000);

  it('covered every ID-taking operation, and each answered safely', () => {
    const known = (row: Row) => KNOWN_ISSUES[`${row.operation} ${row.argument}`];
    const verdict = (row: Row) => {
      if (row.problems.length === 0) return known(row) ? 'KNOWN ISSUE GONE' : 'ok';
      if (known(row) && !row.problems.some(crossesTenants)) return `known issue (${row.problems.length})`;
      return `${row.problems.length} PROBLEM(S)`;
    };
    const table = rows.map((row) => ({
      operation: row.operation,
      argument: row.argument,
      calls: row.calls,
      outcome: [...row.outcomes].map(([outcome, n]) => `${outcome}×${n}`).join(', '),
      verdict: verdict(row),
      example: (row.example ?? '').slice(0, 70),
    }));
    const columns = ['operation', 'argument', 'calls', 'outcome', 'verdict', 'example'] as const;
    const widths = columns.map((key) => Math.max(key.length, ...table.map((r) => String(r[key]).length)));
    const line = (cells: unknown[]) =>
      cells
        .map((cell, i) => String(cell).padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd();
    console.log(
      [
        `tenant isolation: ${rows.length} (operation, argument) cases, ${probes.length} Demo Support ids each`,
        line([...columns]),
        ...table.map((r) => line(columns.map((key) => r[key]))),
        ...rows.filter(known).map((row) => `known issue, ${row.operation} (${row.argument}): ${known(row)}`),
      ].join('\n'),
    );

    // The generator must have found exactly what an independent reading of the schema finds.
    const expected = countIdTakingFields(raw, SKIPPED);
    const exercised = (kind: string) =>
      [...new Set(rows.filter((r) => r.operation.startsWith(`${kind} `) && r.calls > 0).map((r) => r.operation))]
        .map((operation) => operation.slice(kind.length + 1))
        .sort();
    expect(exercised('query')).toEqual([...expected.query].sort());
    expect(exercised('mutation')).toEqual([...expected.mutation].sort());
    expect(exercised('subscription')).toEqual([...expected.subscription].sort());
    const total = expected.query.length + expected.mutation.length + expected.subscription.length;
    expect(new Set(rows.filter((r) => r.calls > 0).map((r) => r.operation)).size).toBeGreaterThanOrEqual(total);

    const problems = rows
      .filter((row) => verdict(row).endsWith('PROBLEM(S)'))
      .flatMap((row) => row.problems.map((p) => `${row.operation} (${row.argument}): ${p}`));
    expect(problems).toEqual([]);
    const fixed = rows.filter((row) => verdict(row) === 'KNOWN ISSUE GONE').map((r) => `${r.operation} ${r.argument}`);
    expect(fixed, 'fixed: remove these from KNOWN_ISSUES').toEqual([]);
    const stale = Object.keys(KNOWN_ISSUES).filter(
      (key) => !rows.some((row) => `${row.operation} ${row.argument}` === key),
    );
    expect(stale, 'no such case any more: remove these from KNOWN_ISSUES').toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// The same guarantees one level down, on the EntityManagers the services use.

describe('tenant-scoped EntityManagers', () => {
  const demoUser = async () => {
    const { rows: users } = await db.query<{ id: string }>(
      "select id::text as id from users where tenant_id = $1 and email = 'agent1@demo.test'",
      [demoTenantId],
    );
    return users[0]!.id;
  };

  it("cannot read another tenant's user by primary key", async () => {
    const id = await demoUser();
    const other = forTenant(stack.runtime.orm.em, otherTenantId);
    expect(await other.findOne(User, id)).toBeNull();
    expect(await other.findOne(User, { email: 'agent1@demo.test' })).toBeNull();
    expect(await other.count(User, { id })).toBe(0);
    // The same lookup in the right tenant finds it: the test itself is sound.
    expect((await forTenant(stack.runtime.orm.em, demoTenantId).findOne(User, id))?.email).toBe('agent1@demo.test');
  });

  it("cannot update or delete another tenant's rows with native queries", async () => {
    const id = await demoUser();
    const other = forTenant(stack.runtime.orm.em, otherTenantId);
    expect(await other.nativeUpdate(User, { id }, { name: 'Hijacked' })).toBe(0);
    expect(await other.nativeDelete(User, { id })).toBe(0);
    const { rows: after } = await db.query<{ name: string }>('select name from users where id = $1', [id]);
    expect(after).toEqual([{ name: 'Alex Agent' }]);
  });

  it('refuses to flush a change to, or a creation in, another tenant through a scoped manager', async () => {
    const id = await demoUser();
    const loaded = await acrossTenants(stack.runtime.orm.em).findOneOrFail(User, id);
    const other = forTenant(stack.runtime.orm.em, otherTenantId);
    const merged = other.merge(loaded);
    merged.name = 'Hijacked';
    await expect(other.flush()).rejects.toBeInstanceOf(TenantViolationError);

    const creator = forTenant(stack.runtime.orm.em, otherTenantId);
    creator.create(User, { tenant: demoTenantId, email: 'planted@demo.test', name: 'Planted', role: Role.ADMIN });
    await expect(creator.flush()).rejects.toBeInstanceOf(TenantViolationError);

    const { rows: after } = await db.query<{ email: string; name: string }>(
      "select email, name from users where id = $1 or email = 'planted@demo.test'",
      [id],
    );
    expect(after).toEqual([{ email: 'agent1@demo.test', name: 'Alex Agent' }]);
  });

  it('throws instead of returning rows when no tenant is in scope', async () => {
    const id = await demoUser();
    const unscoped = stack.runtime.orm.em.fork({ useContext: false });
    await expect(unscoped.find(User, {})).rejects.toThrow(/tenant/i);
    await expect(unscoped.findOne(User, id)).rejects.toThrow(/tenant/i);
    await expect(unscoped.count(User, {})).rejects.toThrow(/tenant/i);
  });
});
