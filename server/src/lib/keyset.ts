// Keyset ("seek") pagination over any ordered list of columns, with an opaque cursor.
import { DomainError } from '../graphql/errors.js';

export interface SortKey<T> {
  field: keyof T & string;
  direction: 'asc' | 'desc';
  encode: (row: T) => string | number;
  decode: (value: string | number) => unknown;
}

export function encodeCursor<T>(keys: SortKey<T>[], row: T): string {
  return Buffer.from(JSON.stringify(keys.map((k) => k.encode(row)))).toString('base64url');
}

/** `(k1, k2, …) after (v1, v2, …)` expanded into an OR of ANDs that any index can serve. */
export function afterCursor<T>(keys: SortKey<T>[], cursor: string): Record<string, unknown> {
  let values: Array<string | number>;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Array<string | number>;
  } catch {
    throw new DomainError('BAD_USER_INPUT', 'Invalid cursor', 'after');
  }
  if (!Array.isArray(values) || values.length !== keys.length)
    throw new DomainError('BAD_USER_INPUT', 'Invalid cursor', 'after');
  const branches = keys.map((key, i) => {
    const branch: Record<string, unknown> = {};
    for (let j = 0; j < i; j++) branch[keys[j]!.field] = keys[j]!.decode(values[j]!);
    branch[key.field] = { [key.direction === 'asc' ? '$gt' : '$lt']: key.decode(values[i]!) };
    return branch;
  });
  return { $or: branches };
}
