// The SSRF guard's address classification and URL form checks (no network).
import { describe, expect, it } from 'vitest';
import {
  checkAddresses,
  checkUrlForm,
  embeddedIPv4,
  nonPublicReason,
  parseAllowList,
  WebhookTargetError,
} from './webhook-guard.js';

describe('nonPublicReason', () => {
  it.each([
    ['0.0.0.0', /this network/],
    ['10.1.2.3', /private/],
    ['100.64.0.1', /carrier-grade NAT/],
    ['100.127.255.255', /carrier-grade NAT/],
    ['127.0.0.1', /loopback/],
    ['127.255.0.9', /loopback/],
    ['169.254.169.254', /link-local/],
    ['172.16.0.1', /private/],
    ['172.31.255.255', /private/],
    ['192.168.0.10', /private/],
    ['224.0.0.251', /multicast/],
    ['255.255.255.255', /reserved/],
    ['::', /unspecified/],
    ['::1', /loopback/],
    ['fc00::1', /unique-local/],
    ['fd12:3456::1', /unique-local/],
    ['fe80::1', /link-local/],
    ['ff02::1', /multicast/],
    ['::ffff:127.0.0.1', /loopback/],
    ['::ffff:a9fe:a9fe', /link-local/],
    ['::ffff:10.0.0.1', /private/],
    ['64:ff9b::192.168.1.1', /private/],
    ['::127.0.0.1', /IPv4-compatible/],
  ])('refuses %s', (address, reason) => {
    expect(nonPublicReason(address)).toMatch(reason);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '100.128.0.1',
    '172.32.0.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
  ])('lets %s through', (address) => {
    expect(nonPublicReason(address)).toBeNull();
  });

  it('finds the IPv4 address inside mapped and NAT64 forms only', () => {
    expect(embeddedIPv4('::ffff:7f00:1')).toBe('127.0.0.1');
    expect(embeddedIPv4('64:ff9b::a00:1')).toBe('10.0.0.1');
    expect(embeddedIPv4('2001:db8::7f00:1')).toBeNull();
  });
});

describe('checkUrlForm', () => {
  const refused = (url: string) => {
    try {
      checkUrlForm(url);
    } catch (error) {
      expect(error).toBeInstanceOf(WebhookTargetError);
      return (error as Error).message;
    }
    return null;
  };

  it('refuses other schemes, user info and internal IP literals in any spelling', () => {
    expect(refused('ftp://example.com/')).toMatch(/http\(s\)/);
    expect(refused('file:///etc/passwd')).toMatch(/http\(s\)/);
    expect(refused('https://user:secret@example.com/')).toMatch(/user name or password/);
    expect(refused('http://0x7f.1/')).toMatch(/127\.0\.0\.1 a loopback/);
    expect(refused('http://2130706433/')).toMatch(/loopback/);
    expect(refused('http://[::ffff:169.254.169.254]/')).toMatch(/link-local/);
    expect(refused('http://[fd00::1]:8080/')).toMatch(/unique-local/);
  });

  it('accepts public addresses and host names (resolved later)', () => {
    expect(refused('https://hooks.example.com/x?y=1')).toBeNull();
    expect(refused('http://8.8.8.8:8080/')).toBeNull();
  });
});

describe('the allow list', () => {
  const allow = parseAllowList(['127.0.0.0/8', '::1', 'hooks.internal']);

  it('lets listed ranges, addresses and host names through, and nothing else', () => {
    expect(() => checkAddresses('127.0.0.5', ['127.0.0.5'], allow)).not.toThrow();
    expect(() => checkAddresses('localhost', ['127.0.0.1', '::1'], allow)).not.toThrow();
    expect(() => checkAddresses('hooks.internal', ['10.9.8.7'], allow)).not.toThrow();
    expect(() => checkAddresses('other.internal', ['10.9.8.7'], allow)).toThrow(
      /other\.internal resolves to 10\.9\.8\.7/,
    );
    // One bad address among good ones is enough to refuse.
    expect(() => checkAddresses('mixed.example', ['8.8.8.8', '169.254.169.254'], parseAllowList([]))).toThrow(
      /link-local/,
    );
  });
});
