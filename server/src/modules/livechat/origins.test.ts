import { describe, expect, it } from 'vitest';
import { normaliseOrigin, normaliseOrigins, originAllowed } from './origins.js';

describe('widget origin allowlist', () => {
  it('matches exact origins only, scheme and port included', () => {
    const list = ['https://shop.example.com', 'http://localhost:8080'];
    expect(originAllowed('https://shop.example.com', list)).toBe(true);
    expect(originAllowed('http://shop.example.com', list)).toBe(false);
    expect(originAllowed('https://shop.example.com:444', list)).toBe(false);
    expect(originAllowed('http://localhost:8080', list)).toBe(true);
    expect(originAllowed('http://localhost:8081', list)).toBe(false);
    expect(originAllowed('https://evil-shop.example.com', list)).toBe(false);
    expect(originAllowed(undefined, list)).toBe(false);
    expect(originAllowed('null', list)).toBe(false);
  });

  it('lets a wildcard match subdomains but not the bare domain or look-alikes', () => {
    const list = ['https://*.example.com'];
    expect(originAllowed('https://a.example.com', list)).toBe(true);
    expect(originAllowed('https://a.b.example.com', list)).toBe(true);
    expect(originAllowed('https://example.com', list)).toBe(false);
    expect(originAllowed('https://badexample.com', list)).toBe(false);
    expect(originAllowed('http://a.example.com', list)).toBe(false);
  });

  it('normalises what admins type and refuses what is not an origin', () => {
    expect(normaliseOrigin(' https://Shop.Example.com/ ')).toBe('https://shop.example.com');
    expect(normaliseOrigins(['https://a.test', 'https://a.test/', ''])).toEqual(['https://a.test']);
    expect(() => normaliseOrigin('https://shop.example.com/path')).toThrow(/not an origin/);
    expect(() => normaliseOrigin('*')).toThrow(/not an origin/);
    expect(() => normaliseOrigin('javascript:alert(1)')).toThrow(/not an origin/);
  });
});
