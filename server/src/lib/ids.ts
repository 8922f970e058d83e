import { DomainError } from '../graphql/errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SEQ = /^[1-9][0-9]{0,18}$/;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** An id argument that must name a row: malformed ids are input errors, not database errors. */
export function uuidArg(value: string, field: string): string {
  if (!isUuid(value)) throw new DomainError('BAD_USER_INPUT', `${field} is not a valid id`, field);
  return value.toLowerCase();
}

export function isSequenceId(value: string): boolean {
  return SEQ.test(value);
}

export function sequenceArg(value: string, field: string): string {
  if (!isSequenceId(value)) throw new DomainError('BAD_USER_INPUT', `${field} is not a valid id`, field);
  return value;
}
