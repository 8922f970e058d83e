// Where webhooks may go (SSRF guard). Admins type the URL, but the workers make the request from
// inside our network: a URL pointing at loopback, a private range or the cloud metadata address
// would let a rule read or poke internal services. Only http(s) to public addresses is allowed,
// checked when the rule is saved and again at every send, on the addresses DNS gives at that moment;
// the connection is made to exactly the address that was checked (see `guardedLookup`), so a DNS
// answer that changes between check and connect (rebinding) cannot slip through.
// Ranges are classified with node:net's BlockList (built in; no dependency).
import dns from 'node:dns';
import net from 'node:net';
import { env } from '../../config/env.js';

/** Why an address is not public, by range (IANA special-purpose registries, RFC 6890). */
const SPECIAL_V4: Array<[string, number, string]> = [
  ['0.0.0.0', 8, 'a "this network" address'],
  ['10.0.0.0', 8, 'a private address'],
  ['100.64.0.0', 10, 'a carrier-grade NAT address'],
  ['127.0.0.0', 8, 'a loopback address'],
  ['169.254.0.0', 16, 'a link-local address (cloud metadata lives there)'],
  ['172.16.0.0', 12, 'a private address'],
  ['192.0.0.0', 24, 'a reserved address'],
  ['192.0.2.0', 24, 'a documentation address'],
  ['192.88.99.0', 24, 'a reserved address'],
  ['192.168.0.0', 16, 'a private address'],
  ['198.18.0.0', 15, 'a benchmarking address'],
  ['198.51.100.0', 24, 'a documentation address'],
  ['203.0.113.0', 24, 'a documentation address'],
  ['224.0.0.0', 4, 'a multicast address'],
  ['240.0.0.0', 4, 'a reserved address'],
];
const SPECIAL_V6: Array<[string, number, string]> = [
  ['::', 128, 'the unspecified address'],
  ['::1', 128, 'a loopback address'],
  // IPv4-compatible (deprecated) addresses: never a legitimate destination.
  ['::', 96, 'an IPv4-compatible address'],
  ['100::', 64, 'a discard address'],
  ['2001:db8::', 32, 'a documentation address'],
  ['fc00::', 7, 'a unique-local address'],
  ['fe80::', 10, 'a link-local address'],
  ['fec0::', 10, 'a site-local address'],
  ['ff00::', 8, 'a multicast address'],
];

function blockListOf(ranges: Array<[string, number, string]>, family: 'ipv4' | 'ipv6') {
  return ranges.map(([address, prefix, reason]) => {
    const list = new net.BlockList();
    list.addSubnet(address, prefix, family);
    return { list, reason };
  });
}
const V4_RANGES = blockListOf(SPECIAL_V4, 'ipv4');
const V6_RANGES = blockListOf(SPECIAL_V6, 'ipv6');

/** The 16 bytes of an IPv6 address (accepts `::` and a dotted IPv4 tail). */
function ipv6Bytes(address: string): number[] {
  let text = address.toLowerCase().split('%')[0]!;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, -dotted[1]!.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return groups.flatMap((g) => {
    const n = parseInt(g || '0', 16);
    return [n >> 8, n & 0xff];
  });
}

/** The IPv4 address an IPv6 address carries (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::a.b.c.d), if any. */
export function embeddedIPv4(address: string): string | null {
  const bytes = ipv6Bytes(address);
  const prefix = bytes.slice(0, 12);
  const mapped = prefix.slice(0, 10).every((b) => b === 0) && prefix[10] === 0xff && prefix[11] === 0xff;
  const nat64 = bytes[0] === 0 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b;
  const nat64Rest = prefix.slice(4).every((b) => b === 0);
  return mapped || (nat64 && nat64Rest) ? bytes.slice(12).join('.') : null;
}

/** Why an IP address is not a public destination, or null when it is. */
export function nonPublicReason(address: string): string | null {
  const family = net.isIP(address);
  if (family === 4) return V4_RANGES.find((r) => r.list.check(address, 'ipv4'))?.reason ?? null;
  if (family !== 6) return 'not an IP address';
  const v4 = embeddedIPv4(address);
  if (v4) return nonPublicReason(v4);
  return V6_RANGES.find((r) => r.list.check(address, 'ipv6'))?.reason ?? null;
}

/**
 * `WEBHOOK_ALLOW_PRIVATE_HOSTS`: addresses, CIDR ranges and host names that may be called even
 * though they are not public (an internal service on purpose, or the test suite's local receiver).
 */
export interface WebhookAllowList {
  addresses: net.BlockList;
  hosts: Set<string>;
}

export function parseAllowList(entries: readonly string[]): WebhookAllowList {
  const addresses = new net.BlockList();
  const hosts = new Set<string>();
  for (const entry of entries) {
    const [address, prefix] = entry.split('/') as [string, string | undefined];
    const family = net.isIP(address);
    if (family === 0) hosts.add(entry.toLowerCase());
    else if (prefix === undefined) addresses.addAddress(address, family === 4 ? 'ipv4' : 'ipv6');
    else addresses.addSubnet(address, Number(prefix), family === 4 ? 'ipv4' : 'ipv6');
  }
  return { addresses, hosts };
}

let cached: { source: readonly string[]; list: WebhookAllowList } | null = null;
function currentAllowList(): WebhookAllowList {
  const source = env().WEBHOOK_ALLOW_PRIVATE_HOSTS;
  if (cached?.source !== source) cached = { source, list: parseAllowList(source) };
  return cached.list;
}

export class WebhookTargetError extends Error {
  override name = 'WebhookTargetError';
  readonly code = 'EWEBHOOKTARGET';
}

function allowedAddress(allow: WebhookAllowList, address: string): boolean {
  return allow.addresses.check(address, net.isIP(address) === 4 ? 'ipv4' : 'ipv6');
}

/** Throws WebhookTargetError unless every address is public or allowed. */
export function checkAddresses(host: string, addresses: string[], allow = currentAllowList()): void {
  if (allow.hosts.has(host.toLowerCase())) return;
  for (const address of addresses) {
    const reason = nonPublicReason(address);
    if (reason && !allowedAddress(allow, address)) {
      const resolved = address === host ? address : `${host} resolves to ${address},`;
      throw new WebhookTargetError(`${resolved} ${reason}: webhooks only go to public addresses`);
    }
  }
}

/** The URL's host without IPv6 brackets. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/** Scheme and form of a webhook URL (no DNS): throws WebhookTargetError. */
export function checkUrlForm(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookTargetError('not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new WebhookTargetError('must be an http(s) address');
  }
  if (url.username || url.password) {
    throw new WebhookTargetError('must not contain a user name or password (put credentials in the secret)');
  }
  const host = hostOf(url);
  if (net.isIP(host)) checkAddresses(host, [host]);
  return url;
}

type LookupAddress = { address: string; family: number };

/** Every address of a host name, as the connection would resolve it. */
async function resolveAll(host: string, family: number = 0): Promise<LookupAddress[]> {
  return dns.promises.lookup(host, { all: true, family, verbatim: true });
}

/** The save-time check: form, then every address the host resolves to now. */
export async function checkWebhookUrl(raw: string): Promise<void> {
  const url = checkUrlForm(raw);
  const host = hostOf(url);
  if (net.isIP(host)) return;
  let addresses: LookupAddress[];
  try {
    addresses = await resolveAll(host);
  } catch {
    throw new WebhookTargetError(`the host ${host} could not be resolved`);
  }
  checkAddresses(
    host,
    addresses.map((a) => a.address),
  );
}

/**
 * A `lookup` for http(s).request: resolves, refuses the connection unless every address is public
 * (or allowed), and hands the checked addresses to the socket, which connects to them and nothing
 * else. Node calls it with `all: true` when it races IPv4 and IPv6 (autoSelectFamily).
 */
export const guardedLookup: net.LookupFunction = (hostname, options, callback) => {
  const wantAll = (options as dns.LookupAllOptions).all === true;
  resolveAll(hostname, typeof options.family === 'number' ? options.family : 0).then(
    (addresses) => {
      try {
        checkAddresses(
          hostname,
          addresses.map((a) => a.address),
        );
      } catch (error) {
        return (callback as (e: Error) => void)(error as Error);
      }
      if (wantAll) return (callback as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    },
    (error: NodeJS.ErrnoException) => (callback as (e: Error) => void)(error),
  );
};
