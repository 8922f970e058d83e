import { describe, expect, it } from 'vitest';
import { filterStyle, sanitizeMailHtml } from './sanitize.js';

const clean = (html: string, cidUrl?: (id: string) => string | null): string => sanitizeMailHtml(html, { cidUrl }).html;

describe('sanitizeMailHtml', () => {
  it('drops scripts with their content', () => {
    const out = clean('<p>Hi</p><script>alert(1)</script><SCRIPT src="x.js"></SCRIPT>');
    expect(out).toBe('<p>Hi</p>');
  });

  it('drops style elements, head and title content', () => {
    const out = clean(
      '<html><head><title>T</title><style>body{display:none}</style></head><body><p>Body</p></body></html>',
    );
    expect(out).toBe('<p>Body</p>');
  });

  it('removes event handlers', () => {
    const out = clean('<img src="cid:a" onerror="alert(1)"><div onclick="x()" onmouseover="y()">x</div>');
    expect(out).not.toMatch(/onerror|onclick|onmouseover|alert/);
    expect(out).toContain('<div>x</div>');
  });

  it('removes javascript:, vbscript: and data: links', () => {
    const out = clean(
      '<a href="javascript:alert(1)">a</a><a href="JaVaScRiPt&#58;alert(1)">b</a>' +
        '<a href=" javascript:alert(1)">c</a><a href="vbscript:x">d</a><a href="data:text/html,<script>x</script>">e</a>',
    );
    expect(out).not.toMatch(/javascript|vbscript|data:/i);
    expect(out).toBe('<a>a</a><a>b</a><a>c</a><a>d</a><a>e</a>');
  });

  it('opens links in a new tab without referrer or opener', () => {
    const out = clean('<a href="https://example.com/x" target="_self" rel="opener">x</a><a href="mailto:a@b.c">m</a>');
    expect(out).toBe(
      '<a href="https://example.com/x" target="_blank" rel="noopener noreferrer nofollow">x</a>' +
        '<a href="mailto:a@b.c" target="_blank" rel="noopener noreferrer nofollow">m</a>',
    );
  });

  it('blocks remote images and keeps the address for "load images"', () => {
    const result = sanitizeMailHtml(
      '<img src="https://tracker.example/p.gif" width="1"><img src="//cdn.example/x.png"><img src="http://a/b.png">',
    );
    expect(result.remoteImages).toBe(3);
    expect(result.html).not.toMatch(/\ssrc=/);
    expect(result.html).toContain('data-remote-src="https://tracker.example/p.gif"');
    expect(result.html).toContain('data-remote-src="https://cdn.example/x.png"');
    expect(result.html).toContain('data-remote-src="http://a/b.png"');
  });

  it('does not let senders set data-remote-src or data-cid themselves', () => {
    const out = clean('<img data-remote-src="javascript:alert(1)" data-cid="x"><p data-remote-src="x">p</p>');
    expect(out).not.toMatch(/javascript|data-cid|data-remote-src/);
  });

  it('rewrites cid: images through the callback, or keeps cid: for the caller', () => {
    const rewritten = sanitizeMailHtml('<img src="cid:logo@x" alt="Logo"><img src="CID:%3Cphoto%3E">', {
      cidUrl: (id) => `/attachments/${encodeURIComponent(id)}`,
    });
    expect(rewritten.cids).toEqual(['logo@x', 'photo']);
    expect(rewritten.html).toBe(
      '<img alt="Logo" data-cid="logo@x" src="/attachments/logo%40x" /><img data-cid="photo" src="/attachments/photo" />',
    );
    expect(clean('<img src="cid:logo@x">')).toBe('<img data-cid="logo@x" src="cid:logo@x" />');
    expect(clean('<img src="cid:gone">', () => null)).toBe('<img data-cid="gone" />');
  });

  it('keeps small data: images of raster types only', () => {
    expect(clean('<img src="data:image/png;base64,iVBORw0KGgo=">')).toBe(
      '<img src="data:image/png;base64,iVBORw0KGgo=" />',
    );
    expect(clean('<img src="data:image/svg+xml;base64,PHN2Zz4=">')).toBe('<img />');
    expect(clean('<img src="data:text/html;base64,PHN2Zz4=">')).toBe('<img />');
  });

  it('removes forms, frames, objects, SVG and meta refreshes', () => {
    const out = clean(
      '<form action="https://evil"><input name="p" type="password"><button>Go</button><select><option>o</option></select><textarea>t</textarea></form>' +
        '<iframe src="https://evil"></iframe><object data="x"></object><embed src="x"><svg><script>x</script><text>s</text></svg>' +
        '<meta http-equiv="refresh" content="0;url=https://evil"><base href="https://evil/"><link rel="stylesheet" href="x">',
    );
    expect(out).toBe('');
  });

  it('keeps harmless inline styles and drops dangerous ones', () => {
    const out = clean(
      '<p style="color: red; background-image: url(https://t.example/x); position: fixed; margin-left: -999px; font-weight: bold">x</p>' +
        '<div style="width: expression(alert(1)); color: blue">y</div>',
    );
    expect(out).toBe('<p style="color: red; font-weight: bold">x</p><div style="color: blue">y</div>');
  });

  it('keeps only quote-marker classes and ids', () => {
    const out = clean(
      '<div class="gmail_quote evil-overlay" id="login">q</div><div id="divRplyFwdMsg" class="x">o</div>',
    );
    expect(out).toBe('<div class="gmail_quote">q</div><div id="divRplyFwdMsg">o</div>');
  });

  it('neutralises broken and nested markup', () => {
    expect(clean('<scr<script>ipt>alert(1)</script>')).not.toContain('<script');
    expect(clean('<img src=x onerror=alert(1)//')).not.toMatch(/onerror/);
    expect(clean('<a href="https://x" <script>alert(1)</script>>y</a>')).not.toContain('<script');
    const deep = '<div>'.repeat(5000) + 'deep' + '</div>'.repeat(5000);
    const out = clean(deep);
    expect(out).toContain('deep');
    expect(out.length).toBeLessThan(deep.length);
  });

  it('escapes text', () => {
    expect(clean('<p>1 &lt; 2 &amp; "q"</p>')).toBe('<p>1 &lt; 2 &amp; "q"</p>');
  });
});

describe('filterStyle', () => {
  it('handles quoted values and parentheses', () => {
    expect(filterStyle(`font-family: "A;B", 'C'; color: rgb(1, 2, 3)`)).toBe(
      `font-family: "A;B", 'C'; color: rgb(1, 2, 3)`,
    );
    expect(filterStyle('color: red; color')).toBe('color: red');
    expect(filterStyle('background: #fff url(x)')).toBe('');
    expect(filterStyle('color: re\\64')).toBe('');
    expect(filterStyle('behavior: url(x.htc)')).toBe('');
  });
});
