import { GraphQLError } from 'graphql';

export type ErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'BAD_USER_INPUT' | 'NOT_FOUND' | 'TOO_MANY_REQUESTS';

export function appError(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

export const unauthenticated = (message = 'You must sign in first') => appError('UNAUTHENTICATED', message);
export const forbidden = (message = 'You are not allowed to do this') => appError('FORBIDDEN', message);
export const badInput = (message: string, field?: string) =>
  appError('BAD_USER_INPUT', message, field ? { field } : {});
export const tooManyRequests = (retryAfterSeconds: number) =>
  appError('TOO_MANY_REQUESTS', `Too many attempts; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });

/** Domain errors thrown by services, mapped to GraphQL codes at the edge. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export function toGraphQLError(error: unknown): GraphQLError | undefined {
  if (error instanceof GraphQLError) return error;
  if (error instanceof DomainError) {
    return appError(error.code, error.message, error.field ? { field: error.field } : {});
  }
  return undefined;
}
