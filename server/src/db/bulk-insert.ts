// A flush for transactions that create hundreds of entities at once (a mail batch opens a hundred
// tickets, each with its customer, events, mails and attachments). MikroORM's flush walks every
// managed entity's relations, computes a change set per new entity and builds each INSERT with its
// values inlined as escaped literals; at that size it costs more CPU than parsing the mail. Here the
// new entities are written with one parameterised INSERT per table, their rows passed as one JSON
// document that PostgreSQL turns into rows of the table's own type (json_populate_recordset), and
// then registered as managed, exactly as MikroORM registers what it inserted, so later changes to
// them flush as updates. The tenant write check is the one every flush runs (db/tenant-scope.ts).
import {
  helper,
  JsonType,
  Reference,
  ReferenceKind,
  Utils,
  type EntityMetadata,
  type EntityProperty,
} from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CompiledQuery, type Transaction } from 'kysely';
import { assertTenantWrite } from './tenant-scope.js';

type Row = Record<string, unknown>;
type Entity = object;

interface TableWrite {
  meta: EntityMetadata;
  entities: Entity[];
}

/**
 * Writes the entities created in this transaction (em.create) with one statement per table, then
 * flushes whatever else changed, as `tx.flush()` would.
 */
export async function flushInBulk(tx: EntityManager): Promise<void> {
  await insertCreated(tx);
  await tx.flush();
}

/**
 * Sends one INSERT per table for the entities created so far and registers them as managed at
 * once, without waiting for PostgreSQL: the statements queue on the transaction's connection, in
 * foreign-key order, so the caller can go on preparing (and each next table's rows are built)
 * while they run. The returned promise settles when all are written; it must be awaited before
 * the transaction commits, and a failure fails the transaction. Entities it cannot write (see
 * writableInBulk) stay for the next flush.
 */
export function insertCreated(tx: EntityManager): Promise<void> {
  const uow = tx.getUnitOfWork();
  const created = [...uow.getPersistStack()].filter((entity) => !helper(entity).__managed);
  const context = tx.getTransactionContext<Transaction<unknown>>();
  // Outside a transaction a failed table would leave the others written; anything unusual (an id
  // the database assigns, a many-to-many, a relation to an entity not yet persisted) is MikroORM's.
  if (created.length === 0 || !context || !writableInBulk(created)) return Promise.resolve();
  const tables = inDependencyOrder(created);
  if (!tables) return Promise.resolve(); // foreign keys in a cycle: MikroORM's flush orders those
  const written = tables.flatMap((table) => insertTable(tx, context, table));
  const all = Promise.all(written).then(() => undefined);
  // The caller awaits it later, after other work: until then a failure must not count as unhandled.
  all.catch(() => undefined);
  return all;
}

/** Whether plain rows say all about these new entities, and their relations point at stored rows or each other. */
function writableInBulk(created: Entity[]): boolean {
  const batch = new Set(created);
  const stored = (target: unknown) => !target || batch.has(target) || helper(target).__managed === true;
  return created.every((entity) => {
    const wrapped = helper(entity);
    const meta = wrapped.__meta as EntityMetadata;
    if (!wrapped.hasPrimaryKey() || meta.inheritanceType || meta.versionProperty) return false;
    return meta.relations.every((prop) => {
      const value = (entity as Row)[prop.name];
      if (prop.kind === ReferenceKind.MANY_TO_ONE || prop.kind === ReferenceKind.ONE_TO_ONE) {
        return prop.kind === ReferenceKind.ONE_TO_ONE && !prop.owner
          ? true
          : stored(Reference.unwrapReference(value as object));
      }
      if (!Utils.isCollection(value) || !value.isInitialized()) return true;
      return prop.kind === ReferenceKind.ONE_TO_MANY ? value.getItems(false).every(stored) : value.count() === 0;
    });
  });
}

function insertTable(tx: EntityManager, context: Transaction<unknown>, { meta, entities }: TableWrite) {
  const uow = tx.getUnitOfWork();
  const comparator = tx.getComparator();
  const snapshots = entities.map((entity) => {
    assertTenantWrite(tx, meta, entity);
    return comparator.prepareEntity(entity) as Row;
  });
  const rows = snapshots.map((snapshot, i) => {
    const entity = entities[i]!;
    const row: Row = {};
    for (const [name, value] of Object.entries(snapshot)) {
      const prop = meta.properties[name];
      if (prop && value !== undefined && isStored(prop)) row[prop.fieldNames[0]!] = toJsonValue(prop, value, entity);
    }
    return row;
  });
  // A column a row leaves out must take its default, not NULL: rows are written by their columns.
  const byColumns = new Map<string, Row[]>();
  for (const row of rows) {
    const key = Object.keys(row).join(',');
    const group = byColumns.get(key);
    if (group) group.push(row);
    else byColumns.set(key, [row]);
  }
  const table = meta.schema ? `"${meta.schema}"."${meta.tableName}"` : `"${meta.tableName}"`;
  const written = [...byColumns.values()].map((group) => {
    const list = Object.keys(group[0]!)
      .map((c) => `"${c}"`)
      .join(', ');
    const statement = CompiledQuery.raw(
      `insert into ${table} (${list}) select ${list} from json_populate_recordset(null::${table}, $1)`,
      [wellFormedJson(group)],
    );
    return context.executeQuery(statement);
  });
  entities.forEach((entity, i) => {
    uow.getPersistStack().delete(entity);
    const wrapped = helper(entity);
    wrapped.__initialized = true;
    uow.register(entity, snapshots[i], { refresh: true });
  });
  return written;
}

/**
 * JSON text PostgreSQL accepts for any strings. JSON.stringify escapes a lone surrogate (text cut
 * inside an emoji) as \udXXX, which PostgreSQL's JSON parser refuses; sent as a plain parameter it
 * would have become U+FFFD on the way to UTF-8, and so it becomes here. Paired surrogates are
 * emitted as they are, so every such escape in the output is a lone one (unless its backslash is
 * itself escaped).
 */
function wellFormedJson(value: unknown): string {
  const json = JSON.stringify(value);
  // JSON.stringify writes these escapes in lower case; most batches have none, and the scan is cheap.
  if (!json.includes('\\ud')) return json;
  return json.replace(/(?<!\\)((?:\\\\)*)\\ud[89a-f][0-9a-f]{2}/g, '$1\\ufffd');
}

function isStored(prop: EntityProperty): boolean {
  if (prop.persist === false || prop.generated || prop.formula) return false;
  return (
    prop.kind === ReferenceKind.SCALAR ||
    prop.kind === ReferenceKind.MANY_TO_ONE ||
    (prop.kind === ReferenceKind.ONE_TO_ONE && prop.owner)
  );
}

/**
 * The snapshot holds database values, which JSON carries as they are (an array column's literal is
 * read by its type's input function), except JSON columns: their snapshot is the serialised text,
 * which would be stored as one JSON string. Those are taken from the entity itself.
 */
function toJsonValue(prop: EntityProperty, value: unknown, entity: Entity): unknown {
  if (prop.customType instanceof JsonType) return (entity as Row)[prop.name] ?? null;
  return value;
}

const target = (prop: EntityProperty): string => (prop.targetMeta?.className as string | undefined) ?? prop.type;

/** Tables in an order that satisfies their foreign keys among the new rows; null if they form a cycle. */
function inDependencyOrder(created: Entity[]): TableWrite[] | null {
  const tables = new Map<string, TableWrite>();
  for (const entity of created) {
    const meta = helper(entity).__meta as EntityMetadata;
    const table = tables.get(meta.className);
    if (table) table.entities.push(entity);
    else tables.set(meta.className, { meta, entities: [entity] });
  }
  const ordered: TableWrite[] = [];
  const placed = new Set<string>();
  const visiting = new Set<string>();
  const place = (name: string): boolean => {
    if (placed.has(name)) return true;
    if (visiting.has(name)) return false;
    visiting.add(name);
    const table = tables.get(name)!;
    for (const prop of table.meta.relations) {
      const other = target(prop);
      if (isStored(prop) && other !== name && tables.has(other) && !place(other)) return false;
    }
    visiting.delete(name);
    placed.add(name);
    ordered.push(table);
    return true;
  };
  for (const name of tables.keys()) if (!place(name)) return null;
  return ordered;
}
