// A tolerant reader for RFC 5322 header blocks, independent of mailparser: it gives the raw values
// classification needs, and it is the fallback when mailparser cannot read a message at all.
import { TextDecoder } from 'node:util';

/** Header blocks larger than this are cut (mailsplit refuses headers over 1 MiB as well). */
export const MAX_HEADER_BLOCK = 1024 * 1024;

export interface HeaderBlock {
  /** Lower-cased names → values in order of appearance (unfolded, trimmed, not RFC 2047-decoded). */
  headers: Record<string, string[]>;
  /** Offset of the first body byte in the buffer. */
  bodyOffset: number;
  /** Lines that were neither a field nor a continuation, kept as continuations of the field before. */
  strayLines: number;
  /** True when a value held 8-bit bytes that are not UTF-8 (kept as latin1 so they can be re-decoded). */
  has8bitNonUtf8: boolean;
  /** False when not a single `Name: value` line was found. */
  found: boolean;
  /** True when the block was longer than MAX_HEADER_BLOCK and was cut. */
  truncated: boolean;
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/** Bytes → string: UTF-8 when valid, else latin1 (byte-preserving). */
export function bytesToText(bytes: Buffer): { text: string; utf8: boolean } {
  let ascii = true;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i]! >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return { text: bytes.toString('latin1'), utf8: true };
  try {
    return { text: utf8Strict.decode(bytes), utf8: true };
  } catch {
    return { text: bytes.toString('latin1'), utf8: false };
  }
}

/** Length of a UTF-8 byte order mark at `offset`, or 0. */
export function bomLength(buf: Buffer, offset = 0): number {
  return buf[offset] === 0xef && buf[offset + 1] === 0xbb && buf[offset + 2] === 0xbf ? 3 : 0;
}

/** Where the header block ends: the offset just after the first empty line (or the buffer end). */
function findBodyOffset(buf: Buffer, start: number, limit: number): { headerEnd: number; bodyOffset: number } {
  let i = start;
  // An empty first line means an empty header block.
  if (buf[i] === 0x0a) return { headerEnd: i, bodyOffset: i + 1 };
  if (buf[i] === 0x0d && buf[i + 1] === 0x0a) return { headerEnd: i, bodyOffset: i + 2 };
  while (i < limit) {
    const nl = buf.indexOf(0x0a, i);
    if (nl < 0 || nl >= limit) break;
    const next = nl + 1;
    if (buf[next] === 0x0a) return { headerEnd: next, bodyOffset: next + 1 };
    if (buf[next] === 0x0d && buf[next + 1] === 0x0a) return { headerEnd: next, bodyOffset: next + 2 };
    i = next;
  }
  return { headerEnd: limit, bodyOffset: limit };
}

const FIELD_LINE = /^([!-9;-~]+)[ \t]*:/;

/**
 * Reads the header block starting at `start` (after any BOM). Lenient like mature parsers:
 * an mbox `From ` line is skipped, a line without a field name continues the previous field.
 */
export function readHeaderBlock(buf: Buffer, start = 0): HeaderBlock {
  start += bomLength(buf, start);
  const limit = Math.min(buf.length, start + MAX_HEADER_BLOCK);
  const { headerEnd, bodyOffset } = findBodyOffset(buf, start, limit);
  const truncated = headerEnd === limit && limit < buf.length;
  const headers: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  let strayLines = 0;
  let has8bitNonUtf8 = false;
  let found = false;

  let currentName: string | null = null;
  let currentParts: string[] = [];
  const flush = (): void => {
    if (currentName === null) return;
    const value = currentParts.join('').trim();
    (headers[currentName] ??= []).push(value);
    currentName = null;
    currentParts = [];
  };

  let lineStart = start;
  let first = true;
  while (lineStart < headerEnd) {
    let lineEnd = buf.indexOf(0x0a, lineStart);
    if (lineEnd < 0 || lineEnd > headerEnd) lineEnd = headerEnd;
    let contentEnd = lineEnd;
    if (contentEnd > lineStart && buf[contentEnd - 1] === 0x0d) contentEnd--;
    const { text: line, utf8 } = bytesToText(buf.subarray(lineStart, contentEnd));
    if (!utf8) has8bitNonUtf8 = true;
    lineStart = lineEnd + 1;

    if (first && line.startsWith('From ')) {
      // mbox separator line
      first = false;
      continue;
    }
    first = false;
    if (line === '') continue;
    if (line[0] === ' ' || line[0] === '\t') {
      if (currentName !== null) currentParts.push(line);
      else strayLines++;
      continue;
    }
    const match = FIELD_LINE.exec(line);
    if (match) {
      flush();
      found = true;
      currentName = match[1]!.toLowerCase();
      currentParts = [line.slice(match[0].length)];
    } else if (currentName !== null) {
      strayLines++;
      currentParts.push(' ' + line);
    } else {
      strayLines++;
    }
  }
  flush();
  return { headers, bodyOffset, strayLines, has8bitNonUtf8, found, truncated };
}

/** Reads a header block from a string (e.g. a decoded text/rfc822-headers part). */
export function readHeaderText(text: string): Record<string, string[]> {
  return readHeaderBlock(Buffer.from(text, 'utf8')).headers;
}

export function firstHeader(headers: Record<string, string[]>, name: string): string | undefined {
  return headers[name]?.[0];
}

// ---------------------------------------------------------------------------------------------
// Charsets and RFC 2047

const CHARSET_ALIASES: Record<string, string> = {
  'ks_c_5601-1987': 'euc-kr',
  ks_c_5601: 'euc-kr',
  'x-unknown': 'windows-1252',
  unknown: 'windows-1252',
  'unknown-8bit': 'windows-1252',
  'x-user-defined': 'windows-1252',
  ascii: 'windows-1252',
  'us-ascii': 'windows-1252',
  cp1250: 'windows-1250',
  cp1251: 'windows-1251',
  cp1252: 'windows-1252',
  cp932: 'shift_jis',
  'windows-31j': 'shift_jis',
  utf8: 'utf-8',
  'iso-8859-8-i': 'iso-8859-8-i',
  gb2312: 'gbk',
};

/** A TextDecoder for a MIME charset name, or null when the runtime does not know it. */
export function decoderFor(charset: string | null | undefined): TextDecoder | null {
  const name = (charset ?? '').trim().toLowerCase().replace(/^"|"$/g, '');
  if (!name) return null;
  const label = CHARSET_ALIASES[name] ?? name;
  try {
    return new TextDecoder(label);
  } catch {
    return null;
  }
}

export function decodeBytes(bytes: Buffer, charset: string | null | undefined): string {
  const decoder = decoderFor(charset);
  if (decoder) return decoder.decode(bytes);
  const { text } = bytesToText(bytes);
  return text;
}

function decodeQ(text: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '_') out.push(0x20);
    else if (c === '=' && /^[0-9a-f]{2}$/i.test(text.slice(i + 1, i + 3))) {
      out.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(c.charCodeAt(0) & 0xff);
  }
  return Buffer.from(out);
}

const ENCODED_WORD = /=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g;

/**
 * Decodes RFC 2047 encoded words. Adjacent words (only whitespace between them) are joined, and
 * their bytes are decoded together so that a character split across two words survives.
 */
export function decodeWords(value: string): string {
  if (!value.includes('=?')) return value;
  const pieces: Array<{ start: number; end: number; charset: string; bytes: Buffer }> = [];
  for (const match of value.matchAll(ENCODED_WORD)) {
    const charset = match[1]!.split('*')[0]!;
    const encoding = match[2]!.toUpperCase();
    const payload = match[3]!;
    const bytes = encoding === 'B' ? Buffer.from(payload, 'base64') : decodeQ(payload);
    pieces.push({ start: match.index, end: match.index + match[0].length, charset, bytes });
  }
  if (!pieces.length) return value;
  let out = '';
  let cursor = 0;
  let i = 0;
  while (i < pieces.length) {
    const piece = pieces[i]!;
    out += value.slice(cursor, piece.start);
    const group = [piece.bytes];
    let end = piece.end;
    let j = i + 1;
    while (
      j < pieces.length &&
      /^\s*$/.test(value.slice(end, pieces[j]!.start)) &&
      pieces[j]!.charset.toLowerCase() === piece.charset.toLowerCase()
    ) {
      group.push(pieces[j]!.bytes);
      end = pieces[j]!.end;
      j++;
    }
    out += decodeBytes(Buffer.concat(group), piece.charset);
    cursor = end;
    // whitespace between adjacent encoded words of different charsets is dropped as well
    if (j < pieces.length && /^\s*$/.test(value.slice(end, pieces[j]!.start))) cursor = pieces[j]!.start;
    i = j;
  }
  return out + value.slice(cursor);
}

// ---------------------------------------------------------------------------------------------
// Structured values

export interface ParamValue {
  value: string;
  params: Record<string, string>;
}

/** `text/plain; charset="utf-8"` → { value: 'text/plain', params: { charset: 'utf-8' } } (RFC 2231 aware). */
export function parseParams(header: string | undefined): ParamValue {
  const result: ParamValue = { value: '', params: Object.create(null) as Record<string, string> };
  if (!header) return result;
  let i = 0;
  const n = header.length;
  let value = '';
  while (i < n && header[i] !== ';') value += header[i++];
  result.value = value.trim().toLowerCase();
  const continued: Record<string, Array<{ index: number; text: string; encoded: boolean }>> = {};
  while (i < n) {
    i++; // skip ';'
    let name = '';
    while (i < n && header[i] !== '=' && header[i] !== ';') name += header[i++];
    name = name.trim().toLowerCase();
    if (header[i] !== '=') continue;
    i++;
    while (i < n && (header[i] === ' ' || header[i] === '\t')) i++;
    let text = '';
    if (header[i] === '"') {
      i++;
      while (i < n && header[i] !== '"') {
        if (header[i] === '\\' && i + 1 < n) i++;
        text += header[i++];
      }
      i++;
      while (i < n && header[i] !== ';') i++;
    } else {
      while (i < n && header[i] !== ';') text += header[i++];
      text = text.trim();
    }
    if (!name) continue;
    const m = /^([^*]+)\*(?:(\d+)\*?|)$/.exec(name);
    if (m && name.includes('*')) {
      const base = m[1]!;
      const index = m[2] === undefined ? 0 : Number(m[2]);
      (continued[base] ??= []).push({ index, text, encoded: name.endsWith('*') });
    } else if (!(name in result.params)) {
      result.params[name] = text;
    }
  }
  for (const [base, segments] of Object.entries(continued)) {
    segments.sort((a, b) => a.index - b.index);
    let charset = 'utf-8';
    const bytes: Buffer[] = [];
    segments.forEach((segment, k) => {
      let text = segment.text;
      if (segment.encoded && k === 0) {
        const parts = /^([^']*)'[^']*'(.*)$/.exec(text);
        if (parts) {
          charset = parts[1] || charset;
          text = parts[2]!;
        }
      }
      bytes.push(
        segment.encoded
          ? Buffer.from(
              text.replace(/%([0-9a-f]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
              'latin1',
            )
          : Buffer.from(text, 'latin1'),
      );
    });
    result.params[base] = decodeBytes(Buffer.concat(bytes), charset);
  }
  return result;
}

const MSG_ID = /<([^<>\s]+)>/g;

/** Every `<id>` token in a header value (In-Reply-To, References), in order, with brackets. */
export function extractMessageIds(value: string | undefined): string[] {
  if (!value) return [];
  const ids: string[] = [];
  for (const match of value.matchAll(MSG_ID)) ids.push(`<${match[1]}>`);
  if (!ids.length) {
    // Some mailers omit the brackets: take bare tokens that look like ids.
    for (const token of value.split(/[\s,]+/)) {
      if (/^[^\s<>()"]+@[^\s<>()"]+$/.test(token)) ids.push(`<${token}>`);
    }
  }
  return ids;
}

/** The Message-ID / In-Reply-To of a header value: its first id, or the bracketed value, or null. */
export function singleMessageId(value: string | undefined): string | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  if (!trimmed) return null;
  const ids = extractMessageIds(trimmed);
  if (ids.length) return ids[0]!;
  const token = trimmed.split(/\s+/)[0]!;
  return `<${token.replace(/^<|>$/g, '')}>`;
}

/** The domain of a message id (`<a@b.example>` → `b.example`), lower-cased, or null. */
export function messageIdDomain(id: string | null | undefined): string | null {
  if (!id) return null;
  const m = /@([^@<>\s]+)>?\s*$/.exec(id);
  return m ? m[1]!.toLowerCase() : null;
}

// A small address reader for the fallback path and for embedded headers (mailparser is used otherwise).
export function readAddresses(value: string | undefined): Array<{ address: string; name: string }> {
  if (!value) return [];
  const out: Array<{ address: string; name: string }> = [];
  const items: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (const ch of value) {
    if (ch === '"' && depth === 0) quoted = !quoted;
    if (!quoted) {
      if (ch === '<') depth++;
      if (ch === '>' && depth > 0) depth--;
      if ((ch === ',' || ch === ';') && depth === 0) {
        items.push(current);
        current = '';
        continue;
      }
    }
    current += ch;
  }
  items.push(current);
  for (const raw of items) {
    const item = raw.replace(/^[^:<"]*:(?![^<]*>)/, '').trim(); // drop a group name
    if (!item) continue;
    const angle = /<([^<>]*)>/.exec(item);
    if (angle) {
      const name = decodeWords(
        item
          .slice(0, angle.index)
          .trim()
          .replace(/^"(.*)"$/, '$1'),
      );
      out.push({ address: angle[1]!.trim(), name });
    } else {
      const comment = /\(([^)]*)\)/.exec(item);
      const address = item.replace(/\([^)]*\)/g, '').trim();
      out.push({ address: /@/.test(address) ? address : '', name: comment ? decodeWords(comment[1]!) : '' });
    }
  }
  return out;
}

/** Address fields, which mailparser reads with a tokenizer that is quadratic in the field's length. */
const ADDRESS_FIELDS = new Set([
  'from',
  'to',
  'cc',
  'bcc',
  'reply-to',
  'sender',
  'delivered-to',
  'return-path',
  'resent-from',
  'resent-to',
  'resent-cc',
  'resent-bcc',
  'resent-sender',
]);

/** Longest address field handed to mailparser: 16 KiB is hundreds of addresses. */
export const MAX_ADDRESS_FIELD = 16 * 1024;

/**
 * The message without its top-level address fields longer than `max` bytes, for mailparser: its
 * address tokenizer takes over half a second on a To of 130 KB and grows with the square of the
 * length, so a hostile or broken mail could stall ingest. The caller reads the fields it cut with
 * readAddresses instead. Returns the input itself when nothing is cut.
 */
export function withoutLongAddressFields(
  buf: Buffer,
  bodyOffset: number,
  max = MAX_ADDRESS_FIELD,
): { bytes: Buffer; cut: string[] } {
  const fields: Array<{ name: string; start: number; end: number }> = [];
  let lineStart = 0;
  while (lineStart < bodyOffset) {
    let lineEnd = buf.indexOf(0x0a, lineStart);
    if (lineEnd < 0 || lineEnd >= bodyOffset) lineEnd = bodyOffset - 1;
    const first = buf[lineStart];
    const continuation = first === 0x20 || first === 0x09;
    if (continuation && fields.length) fields.at(-1)!.end = lineEnd + 1;
    else if (!continuation) {
      const colon = buf.subarray(lineStart, lineEnd).indexOf(0x3a);
      const name = colon > 0 ? buf.toString('latin1', lineStart, lineStart + colon).trim() : '';
      fields.push({ name: name.toLowerCase(), start: lineStart, end: lineEnd + 1 });
    }
    lineStart = lineEnd + 1;
  }
  const long = fields.filter((f) => ADDRESS_FIELDS.has(f.name) && f.end - f.start > max);
  if (long.length === 0) return { bytes: buf, cut: [] };
  const kept: Buffer[] = [];
  let from = 0;
  for (const field of long) {
    kept.push(buf.subarray(from, field.start));
    from = field.end;
  }
  kept.push(buf.subarray(from));
  return { bytes: Buffer.concat(kept), cut: [...new Set(long.map((f) => f.name))] };
}
