// Turning Apollo Client errors into what the user should read.
import { CombinedGraphQLErrors, ServerError, ServerParseError } from '@apollo/client/errors';

/** The first GraphQL error code (`extensions.code`), if the error came from the server's GraphQL layer. */
export function graphQLErrorCode(error: unknown): string | undefined {
  if (!CombinedGraphQLErrors.is(error)) return undefined;
  for (const item of error.errors) {
    const code = item.extensions?.['code'];
    if (typeof code === 'string') return code;
  }
  return undefined;
}

export function graphQLErrorMessage(error: unknown): string | undefined {
  return CombinedGraphQLErrors.is(error) ? error.errors[0]?.message : undefined;
}

/** True when the server says the token is no good (expired, revoked or unknown). */
export function isSessionError(error: unknown): boolean {
  if (graphQLErrorCode(error) === 'UNAUTHENTICATED') return true;
  return ServerError.is(error) && error.statusCode === 401;
}

/** A sentence for errors that are not about the data: the connection or the server. */
export function connectionMessage(error: unknown): string {
  if ((ServerError.is(error) && error.statusCode >= 500) || ServerParseError.is(error)) {
    return 'Switchboard is not responding right now. Please try again in a moment.';
  }
  return 'Can’t reach Switchboard. Check your internet connection and try again.';
}

/** Seconds until a rate limit lifts: from `extensions.retryAfterSeconds`, else from "… in 42 s". */
export function retryAfterSeconds(error: unknown): number | undefined {
  if (!CombinedGraphQLErrors.is(error)) return undefined;
  const first = error.errors[0];
  const fromExtensions = first?.extensions?.['retryAfterSeconds'];
  if (typeof fromExtensions === 'number' && Number.isFinite(fromExtensions)) return fromExtensions;
  const match = /(\d+)\s*(s|sec|secs|seconds?)\b/i.exec(first?.message ?? '');
  return match ? Number(match[1]) : undefined;
}

/** 42 → "42 seconds", 60 → "1 minute", 900 → "15 minutes", 5400 → "1 h 30 min". */
export function formatDuration(seconds: number): string {
  const s = Math.max(1, Math.round(seconds));
  if (s < 60) return s === 1 ? '1 second' : `${s} seconds`;
  const minutes = Math.ceil(s / 60);
  if (minutes < 60) return minutes === 1 ? '1 minute' : `${minutes} minutes`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `${hours} h ${rest} min` : hours === 1 ? '1 hour' : `${hours} hours`;
}
