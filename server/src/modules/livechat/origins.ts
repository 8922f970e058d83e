// The widget's origin allowlist: which sites may embed a tenant's chat widget.
import { DomainError } from '../../graphql/errors.js';

export const MAX_ALLOWED_ORIGINS = 20;
const ORIGIN_PATTERN = /^https?:\/\/(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*(:\d{1,5})?$/;

/** Normalises what an admin typed (`https://Shop.example.com/`) or explains why it is no origin. */
export function normaliseOrigin(value: string): string {
  const origin = value.trim().toLowerCase().replace(/\/+$/, '');
  if (!ORIGIN_PATTERN.test(origin)) {
    throw new DomainError(
      'BAD_USER_INPUT',
      `"${value.slice(0, 80)}" is not an origin: write scheme and host, e.g. https://www.example.com or https://*.example.com`,
      'allowedOrigins',
    );
  }
  return origin;
}

export function normaliseOrigins(values: string[]): string[] {
  const origins = [...new Set(values.filter((v) => v.trim()).map(normaliseOrigin))];
  if (origins.length > MAX_ALLOWED_ORIGINS) {
    throw new DomainError('BAD_USER_INPUT', `At most ${MAX_ALLOWED_ORIGINS} origins`, 'allowedOrigins');
  }
  return origins;
}

/**
 * Whether a browser's Origin header is on the list. `https://*.example.com` matches subdomains of
 * example.com (not example.com itself); scheme and port must match exactly.
 */
export function originAllowed(origin: string | undefined, allowed: readonly string[]): boolean {
  if (!origin) return false;
  const candidate = origin.toLowerCase();
  let parsed: URL;
  try {
    parsed = new URL(candidate);
  } catch {
    return false;
  }
  if (parsed.origin !== candidate) return false; // "null", paths, credentials: never
  return allowed.some((entry) => {
    if (!entry.includes('://*.')) return entry === candidate;
    const [scheme, rest] = entry.split('://*.') as [string, string];
    const suffix = `.${rest}`;
    return (
      candidate.startsWith(`${scheme}://`) &&
      candidate.endsWith(suffix) &&
      candidate.length > `${scheme}://`.length + suffix.length
    );
  });
}
