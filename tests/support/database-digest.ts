// Reads the test database directly: a digest of its contents (to prove that nothing changed) and
// the rows owned by one tenant.
import type pg from 'pg';

/** Tables that change on their own or with every sign-in, whatever the operations under test do. */
export const VOLATILE_TABLES: readonly (string | RegExp)[] = [
  'sessions',
  'login_rate_limits',
  'mikro_orm_migrations',
  /^agenda/,
];

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

function isExcluded(table: string, exclude: readonly (string | RegExp)[]): boolean {
  return exclude.some((rule) => (typeof rule === 'string' ? rule === table : rule.test(table)));
}

export async function publicTables(client: pg.ClientBase): Promise<string[]> {
  const { rows } = await client.query<{ table_name: string }>(
    `select table_name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
  );
  return rows.map((row) => row.table_name);
}

/** md5 of every table's rows in primary-key order, by table. */
export async function databaseDigest(
  client: pg.ClientBase,
  exclude: readonly (string | RegExp)[] = VOLATILE_TABLES,
): Promise<Map<string, string>> {
  const digest = new Map<string, string>();
  for (const table of await publicTables(client)) {
    if (isExcluded(table, exclude)) continue;
    const { rows: keys } = await client.query<{ attname: string }>(
      `select a.attname from pg_index i
         join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
        where i.indrelid = $1::regclass and i.indisprimary
        order by array_position(i.indkey::int2[], a.attnum)`,
      [`public.${quote(table)}`],
    );
    const order = keys.length > 0 ? keys.map((key) => `t.${quote(key.attname)}`).join(', ') : 't::text';
    const { rows } = await client.query<{ digest: string; count: string }>(
      `select md5(coalesce(string_agg(t::text, E'\\n' order by ${order}), '')) as digest, count(*) as count
         from public.${quote(table)} t`,
    );
    digest.set(table, `${rows[0]!.count}:${rows[0]!.digest}`);
  }
  return digest;
}

/** md5 of one tenant's rows (its `tenants` row and every row with its `tenant_id`), by table. */
export async function tenantDigest(client: pg.ClientBase, tenantId: string): Promise<Map<string, string>> {
  const digest = new Map<string, string>();
  const { rows: tables } = await client.query<{ table_name: string }>(
    `select c.table_name from information_schema.columns c
       join information_schema.tables t
         on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
      where c.table_schema = 'public' and c.column_name = 'tenant_id'
      order by c.table_name`,
  );
  const scoped = [
    { table: 'tenants', where: 't.id::text = $1' },
    ...tables.map(({ table_name }) => ({ table: table_name, where: 't.tenant_id::text = $1' })),
  ];
  for (const { table, where } of scoped) {
    if (isExcluded(table, VOLATILE_TABLES)) continue;
    const { rows } = await client.query<{ digest: string; count: string }>(
      `select md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as digest, count(*) as count
         from public.${quote(table)} t where ${where}`,
      [tenantId],
    );
    digest.set(table, `${rows[0]!.count}:${rows[0]!.digest}`);
  }
  return digest;
}

/** The tables whose digest differs between two snapshots. */
export function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
  const tables = new Set([...before.keys(), ...after.keys()]);
  return [...tables].filter((table) => before.get(table) !== after.get(table)).sort();
}

/** Primary keys of every row with `tenant_id = tenantId`, by table (tables with `id` and `tenant_id`). */
export async function tenantOwnedIds(client: pg.ClientBase, tenantId: string): Promise<Map<string, string[]>> {
  const { rows: tables } = await client.query<{ table_name: string }>(
    `select c.table_name from information_schema.columns c
       join information_schema.columns i
         on i.table_schema = c.table_schema and i.table_name = c.table_name and i.column_name = 'id'
       join information_schema.tables t
         on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
      where c.table_schema = 'public' and c.column_name = 'tenant_id'
      order by c.table_name`,
  );
  const owned = new Map<string, string[]>();
  for (const { table_name: table } of tables) {
    const { rows } = await client.query<{ id: string }>(
      `select id::text as id from public.${quote(table)} where tenant_id::text = $1 order by id`,
      [tenantId],
    );
    owned.set(
      table,
      rows.map((row) => row.id),
    );
  }
  return owned;
}
