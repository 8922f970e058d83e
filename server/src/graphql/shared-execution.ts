// Executes a subscription event once per (event, query, variables) in this process instead of once
// per subscriber, for events whose streams declare them the same for every subscriber who receives
// them (each stream has already authorised its subscriber). A chat message delivered to 500 members
// is thereby resolved once, and only serialised and sent 500 times.
//
// Only queries that select nothing viewer-dependent share: each shareable event names the fields
// its subscribers may select (an allowlist per type); a query that selects anything else is
// executed per subscriber, as graphql-js's own `subscribe` does.
import {
  Kind,
  createSourceEventStream,
  execute,
  getNamedType,
  isObjectType,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

/** type name → fields every subscriber would get the same answer for. */
export type SharedFields = Readonly<Record<string, ReadonlySet<string>>>;

interface Share {
  fields: SharedFields;
  results: Map<string, Promise<ExecutionResult>>;
}

const shares = new WeakMap<object, Share>();
const verdicts = new WeakMap<DocumentNode, WeakMap<SharedFields, boolean>>();

/** Declares that `event` (one object yielded to many subscribers) may be executed once per query. */
export function shareEvent<T extends object>(event: T, fields: SharedFields): T {
  if (!shares.has(event)) shares.set(event, { fields, results: new Map() });
  return event;
}

/** graphql-js's `subscribe`, with shared execution of shareable events. */
export async function sharedSubscribe(
  args: ExecutionArgs,
): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const resultOrStream = await createSourceEventStream(args);
  if (!isAsyncIterable(resultOrStream)) return resultOrStream;
  return mapAsyncIterator(resultOrStream, (payload) => executeEvent(args, payload));
}

function executeEvent(args: ExecutionArgs, payload: unknown): Promise<ExecutionResult> | ExecutionResult {
  const share = typeof payload === 'object' && payload !== null ? shares.get(payload) : undefined;
  if (!share || !selectsOnly(args, share.fields)) return execute({ ...args, rootValue: payload });
  const key = `${queryText(args.document)}\u0000${args.operationName ?? ''}\u0000${JSON.stringify(args.variableValues ?? {})}`;
  let result = share.results.get(key);
  if (!result) {
    result = Promise.resolve(execute({ ...args, rootValue: payload }));
    share.results.set(key, result);
  }
  return result;
}

const texts = new WeakMap<DocumentNode, string>();

function queryText(document: DocumentNode): string {
  let text = texts.get(document);
  if (text === undefined) {
    text = document.loc?.source.body ?? JSON.stringify(document);
    texts.set(document, text);
  }
  return text;
}

/** Whether the subscription's selection stays within the allowlist (cached per document). */
function selectsOnly(args: ExecutionArgs, fields: SharedFields): boolean {
  let byFields = verdicts.get(args.document);
  if (!byFields) {
    byFields = new WeakMap();
    verdicts.set(args.document, byFields);
  }
  let verdict = byFields.get(fields);
  if (verdict === undefined) {
    verdict = checkDocument(args.schema, args.document, fields);
    byFields.set(fields, verdict);
  }
  return verdict;
}

function checkDocument(schema: GraphQLSchema, document: DocumentNode, allowed: SharedFields): boolean {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  const root = schema.getSubscriptionType();
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION || !root) return false;
  // The root field itself: check what is selected under it.
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) return false;
    const field = root.getFields()[selection.name.value];
    if (!field) return false;
    const type = getNamedType(field.type);
    if (selection.selectionSet && (!isObjectType(type) || !check(type, selection.selectionSet))) return false;
  }
  return true;

  function check(type: GraphQLObjectType, set: SelectionSetNode): boolean {
    const allowedHere = allowed[type.name];
    if (!allowedHere) return false;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name === '__typename') continue;
        if (!allowedHere.has(name)) return false;
        const field = type.getFields()[name];
        if (!field) return false;
        const fieldType = getNamedType(field.type);
        if (selection.selectionSet && (!isObjectType(fieldType) || !check(fieldType, selection.selectionSet))) {
          return false;
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (selection.typeCondition && selection.typeCondition.name.value !== type.name) return false;
        if (!check(type, selection.selectionSet)) return false;
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || fragment.typeCondition.name.value !== type.name) return false;
        if (!check(type, fragment.selectionSet)) return false;
      }
    }
    return true;
  }
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/** As graphql-js's internal mapAsyncIterator: ending the result ends the source. */
function mapAsyncIterator<T, R>(
  iterable: AsyncIterable<T>,
  callback: (value: T) => Promise<R> | R,
): AsyncIterableIterator<R> {
  const iterator = iterable[Symbol.asyncIterator]();
  const returnIgnoringErrors = async () => {
    try {
      await iterator.return?.();
    } catch {
      // Keep the original error when closing the source also fails.
    }
  };
  const mapResult = async (result: IteratorResult<T>): Promise<IteratorResult<R>> => {
    if (result.done) return result as IteratorResult<R>;
    try {
      return { value: await callback(result.value), done: false };
    } catch (error) {
      await returnIgnoringErrors();
      throw error;
    }
  };
  return {
    next: async () => mapResult(await iterator.next()),
    return: async () =>
      typeof iterator.return === 'function'
        ? mapResult(await iterator.return())
        : { value: undefined as unknown as R, done: true },
    throw: async (error: unknown) => {
      if (typeof iterator.throw === 'function') return mapResult(await iterator.throw(error));
      await returnIgnoringErrors();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
