// Builds test operations from the schema itself, so that cross-cutting tests (tenant isolation,
// anonymous access) cover every operation, including those added after the tests were written.
import { randomUUID } from 'node:crypto';
import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type IntrospectionQuery,
  type IntrospectionTypeRef,
} from 'graphql';
import type { GraphQLTestClient } from './graphql-client.js';

export type RootKind = 'query' | 'mutation' | 'subscription';

export interface RootField {
  kind: RootKind;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- graphql-js's own field type
  field: GraphQLField<any, any>;
}

/** Where an ID goes: a top-level argument and the path of input fields below it ([] = the argument itself). */
export interface IdArgumentPath {
  argument: string;
  path: string[];
  /** e.g. `input.ticketId` or `ids[]` */
  label: string;
}

/** The served schema, read through introspection like any client would. */
export async function introspect(
  client: GraphQLTestClient,
): Promise<{ schema: GraphQLSchema; raw: IntrospectionQuery }> {
  const raw = await client.data<IntrospectionQuery>(getIntrospectionQuery({ inputValueDeprecation: true }));
  return { schema: buildClientSchema(raw), raw };
}

export function rootFields(schema: GraphQLSchema): RootField[] {
  const roots: Array<[RootKind, ReturnType<GraphQLSchema['getQueryType']>]> = [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
    ['subscription', schema.getSubscriptionType()],
  ];
  const fields: RootField[] = [];
  for (const [kind, type] of roots) {
    if (!type) continue;
    for (const field of Object.values(type.getFields())) fields.push({ kind, field });
  }
  return fields;
}

const isRequired = (arg: { type: GraphQLInputType; defaultValue?: unknown }) =>
  isNonNullType(arg.type) && arg.defaultValue === undefined;

/** Every place an ID can be given to a root field: arguments, input fields at any depth, lists. */
export function idArgumentPaths(field: RootField['field']): IdArgumentPath[] {
  const paths: IdArgumentPath[] = [];
  const visit = (type: GraphQLInputType, argument: string, path: string[], label: string, seen: Set<string>) => {
    if (isNonNullType(type)) return visit(type.ofType, argument, path, label, seen);
    if (isListType(type)) return visit(type.ofType, argument, path, `${label}[]`, seen);
    if (isScalarType(type) && type.name === 'ID') {
      paths.push({ argument, path, label });
      return;
    }
    if (isInputObjectType(type)) {
      if (seen.has(type.name)) return;
      const inner = new Set(seen).add(type.name);
      for (const child of Object.values(type.getFields())) {
        visit(child.type, argument, [...path, child.name], `${label}.${child.name}`, inner);
      }
    }
  };
  for (const arg of field.args) visit(arg.type, arg.name, [], arg.name, new Set());
  return paths;
}

export interface DummyOptions {
  /** The value for every ID that is not the target (and for the target when no id is given). */
  id?: string;
  /** A better value for an ID that is not the target, by argument or input field name. */
  idFor?: (name: string) => string | undefined;
}

/** A plausible, type-correct value for a scalar, guided by the argument or field name. */
export function scalarValue(scalar: string, name: string, id: string): unknown {
  switch (scalar) {
    case 'ID':
    case 'UUID':
      return id;
    case 'Int':
    case 'PositiveInt':
    case 'NonNegativeInt':
    case 'NonNegativeFloat':
    case 'PositiveFloat':
    case 'Float':
      return 1;
    case 'Boolean':
      return false;
    case 'DateTime':
    case 'DateTimeISO':
    case 'Timestamp':
      return new Date().toISOString();
    case 'Date':
      return new Date().toISOString().slice(0, 10);
    case 'EmailAddress':
      return 'probe@example.test';
    case 'URL':
      return 'https://example.test/';
    case 'JSON':
    case 'JSONObject':
      return {};
    default:
      if (/e-?mail/i.test(name) || /^(address|requester|from|to)$/i.test(name)) return 'probe@example.test';
      if (/url$/i.test(name)) return 'https://example.test/';
      if (/colou?r$/i.test(name)) return '#3366ff';
      if (/time_?zone$/i.test(name)) return 'UTC';
      // Long enough for the usual length checks, and only letters, digits and dashes.
      return 'probe-0001';
  }
}

/**
 * A value for an input type: required fields only, plus the fields on `target` (a path of input
 * field names below this value) which ends in `targetValue`. Lists get one element.
 */
export function inputValue(
  type: GraphQLInputType,
  name: string,
  target: string[] | null,
  targetValue: string,
  options: DummyOptions = {},
  depth = 0,
): unknown {
  if (depth > 12) throw new Error(`input type nesting too deep at ${name}`);
  if (isNonNullType(type)) return inputValue(type.ofType, name, target, targetValue, options, depth);
  if (isListType(type)) return [inputValue(type.ofType, name, target, targetValue, options, depth + 1)];
  if (isInputObjectType(type)) {
    const value: Record<string, unknown> = {};
    const fields = Object.values(type.getFields());
    const onPath = target && target.length > 0 ? target[0] : undefined;
    for (const child of fields) {
      if (child.name === onPath) {
        value[child.name] = inputValue(child.type, child.name, target!.slice(1), targetValue, options, depth + 1);
      } else if (isRequired(child) && !type.isOneOf) {
        value[child.name] = inputValue(child.type, child.name, null, targetValue, options, depth + 1);
      }
    }
    if (type.isOneOf && Object.keys(value).length === 0 && fields[0]) {
      value[fields[0].name] = inputValue(fields[0].type, fields[0].name, null, targetValue, options, depth + 1);
    }
    return value;
  }
  if (isEnumType(type)) return type.getValues()[0]?.name;
  if (isScalarType(type)) {
    if (target) return targetValue; // the ID under test
    const id = type.name === 'ID' ? options.idFor?.(name) : undefined;
    return scalarValue(type.name, name, id ?? options.id ?? targetValue);
  }
  throw new Error(`unsupported input type ${String(type)}`);
}

/** Variables for a root field: every required argument, plus the one carrying the target id. */
export function argumentValues(
  field: RootField['field'],
  target: IdArgumentPath | null,
  id: string,
  options: DummyOptions = {},
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const arg of field.args) {
    if (target && target.argument === arg.name) {
      values[arg.name] = inputValue(arg.type, arg.name, target.path, id, options);
    } else if (isRequired(arg)) {
      values[arg.name] = inputValue(arg.type, arg.name, null, id, { ...options, id: options.id ?? id });
    }
  }
  return values;
}

function fieldsOf(type: GraphQLNamedType) {
  return isObjectType(type) || isInterfaceType(type) ? Object.values(type.getFields()) : [];
}

const callableWithoutArgs = (field: { args: readonly { type: GraphQLInputType; defaultValue?: unknown }[] }) =>
  field.args.every((arg) => !isRequired(arg));

/**
 * The selection for probing a result: every scalar leaf field of the returned type, and below it
 * (to `nestedDepth` levels) the ID fields of nested objects, so that leaked ids are visible.
 */
export function probeSelection(schema: GraphQLSchema, type: GraphQLOutputType, nestedDepth = 2): string {
  const named = getNamedType(type);
  if (isLeafType(named)) return '';
  const select = (current: GraphQLNamedType, depth: number, leavesToo: boolean, path: Set<string>): string => {
    if (isUnionType(current) || isInterfaceType(current)) {
      const fragments = schema
        .getPossibleTypes(current)
        .map((member) => `... on ${member.name} ${select(member, depth, leavesToo, path)}`);
      return `{ __typename ${fragments.join(' ')} }`;
    }
    const parts = ['__typename'];
    for (const child of fieldsOf(current)) {
      if (!callableWithoutArgs(child)) continue;
      const childType = getNamedType(child.type);
      if (isLeafType(childType)) {
        if (leavesToo || childType.name === 'ID') parts.push(child.name);
      } else if (depth > 0 && !path.has(childType.name)) {
        parts.push(`${child.name} ${select(childType, depth - 1, false, new Set(path).add(childType.name))}`);
      }
    }
    return `{ ${parts.join(' ')} }`;
  };
  return select(named, nestedDepth, true, new Set([named.name]));
}

/** The selection for collecting ids: ID fields of the type and of everything below, to `depth`. */
export function idSelection(schema: GraphQLSchema, type: GraphQLOutputType, depth: number): string {
  const named = getNamedType(type);
  if (isLeafType(named)) return '';
  const select = (current: GraphQLNamedType, remaining: number, path: Set<string>): string => {
    if (isUnionType(current) || isInterfaceType(current)) {
      const fragments = schema
        .getPossibleTypes(current)
        .map((member) => `... on ${member.name} ${select(member, remaining, path)}`);
      return `{ __typename ${fragments.join(' ')} }`;
    }
    const parts = ['__typename'];
    for (const child of fieldsOf(current)) {
      if (!callableWithoutArgs(child)) continue;
      const childType = getNamedType(child.type);
      if (isLeafType(childType)) {
        if (childType.name === 'ID') parts.push(child.name);
      } else if (remaining > 0 && !path.has(childType.name)) {
        parts.push(`${child.name} ${select(childType, remaining - 1, new Set(path).add(childType.name))}`);
      }
    }
    return `{ ${parts.join(' ')} }`;
  };
  return select(named, depth, new Set([named.name]));
}

/** `query Probe($a: T!) { field(a: $a) { … } }` for the arguments present in `variables`. */
export function operationText(
  kind: RootKind,
  field: RootField['field'],
  variables: Record<string, unknown>,
  selection: string,
): string {
  const used = field.args.filter((arg) => arg.name in variables);
  const declarations = used.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(', ');
  const args = used.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  return `${kind} Probe${declarations ? `(${declarations})` : ''} { ${field.name}${args ? `(${args})` : ''} ${selection} }`;
}

/** Collects every ID-typed value found anywhere in `data` (selected with `__typename`): id → kind. */
export function collectIds(
  data: unknown,
  schemaIdFields: (typename: string) => Set<string>,
  into: Map<string, string>,
): void {
  if (Array.isArray(data)) {
    for (const item of data) collectIds(item, schemaIdFields, into);
    return;
  }
  if (!data || typeof data !== 'object') return;
  const record = data as Record<string, unknown>;
  const typename = typeof record.__typename === 'string' ? record.__typename : undefined;
  const idFields = typename ? schemaIdFields(typename) : new Set<string>();
  for (const [key, value] of Object.entries(record)) {
    if (typeof value === 'string' && idFields.has(key)) {
      // The object's own id names its type; other ID fields (ticketId…) only name where they were seen.
      if (key === 'id') into.set(value, typename!);
      else if (!into.has(value)) into.set(value, `${typename}.${key}`);
    } else if (value && typeof value === 'object') {
      collectIds(value, schemaIdFields, into);
    }
  }
}

/** The names of a type's fields of type ID (nullable or not). */
export function idFieldsOf(schema: GraphQLSchema): (typename: string) => Set<string> {
  return (typename) => {
    const type = schema.getType(typename);
    const names = new Set<string>();
    for (const field of type ? fieldsOf(type) : []) {
      if (getNamedType(field.type).name === 'ID') names.add(field.name);
    }
    return names;
  };
}

/** All strings anywhere in a value (keys excluded). */
export function stringsIn(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) value.forEach((item) => stringsIn(item, into));
  else if (value && typeof value === 'object') Object.values(value).forEach((item) => stringsIn(item, into));
  return into;
}

/** null, false, 0, '', [] or an object of only such values (ignoring __typename). */
export function isEmptyResult(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).every(
      ([key, inner]) => key === '__typename' || isEmptyResult(inner),
    );
  }
  return false;
}

/**
 * An independent count, from the raw introspection JSON rather than graphql-js objects, of root
 * fields taking an ID somewhere in their arguments: a cross-check that the generator is complete.
 */
export function countIdTakingFields(raw: IntrospectionQuery, skip: ReadonlySet<string>): Record<RootKind, string[]> {
  const types = new Map(raw.__schema.types.map((type) => [type.name, type]));
  const namedOf = (ref: IntrospectionTypeRef): string => {
    let current: IntrospectionTypeRef = ref;
    while ('ofType' in current && current.ofType) current = current.ofType;
    return (current as { name: string }).name;
  };
  const containsId = (typeName: string, seen: Set<string>): boolean => {
    if (typeName === 'ID') return true;
    const type = types.get(typeName);
    if (!type || type.kind !== 'INPUT_OBJECT' || seen.has(typeName)) return false;
    seen.add(typeName);
    return type.inputFields.some((inputField) => containsId(namedOf(inputField.type), seen));
  };
  const result: Record<RootKind, string[]> = { query: [], mutation: [], subscription: [] };
  const roots: Array<[RootKind, { name: string } | null | undefined]> = [
    ['query', raw.__schema.queryType],
    ['mutation', raw.__schema.mutationType],
    ['subscription', raw.__schema.subscriptionType],
  ];
  for (const [kind, root] of roots) {
    const type = root ? types.get(root.name) : undefined;
    if (!type || type.kind !== 'OBJECT') continue;
    for (const field of type.fields) {
      if (skip.has(field.name)) continue;
      if (field.args.some((arg) => containsId(namedOf(arg.type), new Set()))) result[kind].push(field.name);
    }
  }
  return result;
}

const USER_SLOTS = /^(user|assignee|requester|member|author|agent|owner|mentioned|customer|watcher|recipient)s?$/i;

/**
 * The type an ID argument or input field most likely names, from its name: `ticketId` → Ticket,
 * `eventId` → TimelineEvent (by suffix), `assigneeIds` → User; a bare `id` names `ownType`.
 */
export function typeForIdSlot(name: string, typenames: readonly string[], ownType?: string): string | undefined {
  const base = name.replace(/Ids?$/, '').replace(/^ids?$/i, '');
  if (base === '') return ownType;
  if (USER_SLOTS.test(base)) return typenames.includes('User') ? 'User' : undefined;
  const wanted = base[0]!.toUpperCase() + base.slice(1);
  return typenames.find((t) => t === wanted) ?? typenames.find((t) => t.endsWith(wanted));
}

/** Runs `fn` over `items` with at most `limit` at once. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export const randomId = () => randomUUID();
