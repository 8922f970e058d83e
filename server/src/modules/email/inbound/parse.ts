// parseMail: raw RFC 5322 bytes → ParsedMail. Never throws for malformed input: whatever can be
// read is returned, and parseProblems says what could not.
import { createHash } from 'node:crypto';
import type { AddressObject, EmailAddress } from 'mailparser';
import { htmlToPlainText } from './html-text.js';
import { readMime, walkTree, type MimeReadResult, type TreeNode } from './mime-reader.js';
import {
  bomLength,
  bytesToText,
  decodeBytes,
  decodeWords,
  extractMessageIds,
  firstHeader,
  parseParams,
  readAddresses,
  readHeaderBlock,
  singleMessageId,
  withoutLongAddressFields,
  MAX_ADDRESS_FIELD,
  type HeaderBlock,
} from './raw-headers.js';
import { sanitizeMailHtml } from './sanitize.js';
import type { Address, EmbeddedFacts, MailAttachment, MimePartSummary, ParsedMail } from './types.js';

export interface ParseOptions {
  /** Rewrites `cid:` image links in the sanitised HTML (e.g. to a signed download URL). */
  cidUrl?: (contentId: string) => string | null;
  /** Give up on the MIME structure after this long and fall back to a raw reading. Default 30 s. */
  timeoutMs?: number;
  /** At most this many MIME parts (more is refused by the parser → raw reading). Default 1,000. */
  maxParts?: number;
  /** Nesting deeper than this is reported as a problem. Default 32. */
  maxDepth?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_PARTS = 1000;
const DEFAULT_MAX_DEPTH = 32;

/** Strips NUL characters (PostgreSQL text cannot hold them) . */
function clean(text: string): string {
  return text.includes('\u0000') ? text.replace(/\u0000/g, '') : text;
}

function oneLine(text: string): string {
  return clean(text)
    .replace(/[\r\n\t]+/g, ' ')
    .trim();
}

export function parseMailDate(value: string | undefined): Date | null {
  if (!value) return null;
  const attempts = [value, value.replace(/\([^)]*\)/g, ' ')];
  const simplified = attempts[1]!
    .replace(/^\s*[a-z]{2,}\.?,?\s*/i, '') // weekday
    .replace(/\b(UT|Z)\s*$/i, 'GMT')
    .replace(/([+-]\d{2}):?(\d{2})\s*$/, '$1$2')
    .replace(/\s+/g, ' ')
    .trim();
  attempts.push(simplified);
  const twoDigitYear = /^(\d{1,2} [a-z]{3}) (\d{2}) (.*)$/i.exec(simplified);
  if (twoDigitYear) {
    const year = Number(twoDigitYear[2]);
    attempts.push(`${twoDigitYear[1]} ${year < 50 ? 2000 + year : 1900 + year} ${twoDigitYear[3]}`);
  }
  for (const attempt of attempts) {
    const date = new Date(attempt.trim());
    if (!Number.isNaN(date.getTime())) return date;
  }
  return null;
}

function flattenAddresses(list: EmailAddress[] | undefined, out: EmailAddress[] = []): EmailAddress[] {
  for (const entry of list ?? []) {
    if (entry.group) flattenAddresses(entry.group, out);
    else out.push(entry);
  }
  return out;
}

function toAddresses(value: AddressObject | AddressObject[] | undefined): Address[] {
  const objects = value === undefined ? [] : Array.isArray(value) ? value : [value];
  const out: Address[] = [];
  for (const object of objects) {
    for (const entry of flattenAddresses(object.value)) {
      const address = clean(entry.address ?? '').trim();
      if (address) out.push({ address, name: oneLine(entry.name ?? '') });
    }
  }
  return out;
}

function rawAddresses(headers: Record<string, string[]>, name: string): Address[] {
  return (headers[name] ?? [])
    .flatMap((value) => readAddresses(value))
    .filter((a) => a.address)
    .map((a) => ({ address: a.address, name: oneLine(a.name) }));
}

/** The charset a sender most likely used for raw 8-bit headers: the first declared body charset. */
function guessHeaderCharset(block: HeaderBlock, tree: TreeNode | undefined): string {
  const top = parseParams(firstHeader(block.headers, 'content-type')).params.charset;
  if (top && !/^(us-)?ascii$|^utf-?8$/i.test(top)) return top;
  for (const node of walkTree(tree)) {
    if (node.charset && !/^(us-)?ascii$|^utf-?8$/i.test(node.charset)) return node.charset;
  }
  return 'windows-1252';
}

function decodeRawHeader(value: string, charset: string): string {
  // readHeaderBlock keeps undecodable values as latin1, which gives the bytes back unchanged
  return decodeWords(decodeBytes(Buffer.from(value, 'latin1'), charset));
}

const EXTENSIONS: Record<string, string> = {
  'message/rfc822': 'eml',
  'message/global': 'eml',
  'message/delivery-status': 'txt',
  'message/global-delivery-status': 'txt',
  'message/disposition-notification': 'txt',
  'message/feedback-report': 'txt',
  'text/rfc822-headers': 'txt',
  'text/plain': 'txt',
  'text/html': 'html',
  'text/calendar': 'ics',
  'application/pdf': 'pdf',
  'application/ms-tnef': 'dat',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
};

function defaultFilename(contentType: string, index: number): string {
  if (contentType === 'application/ms-tnef') return 'winmail.dat';
  const ext = EXTENSIONS[contentType] ?? (/^image\/([a-z0-9]+)$/.exec(contentType)?.[1] || 'bin');
  return `attachment-${index + 1}.${ext}`;
}

function headerLinesToRecord(
  lines: ReadonlyArray<{ key: string; line: string }> | undefined,
): Record<string, string[]> {
  if (!lines?.length) return {};
  return readHeaderBlock(Buffer.from(lines.map((l) => l.line).join('\r\n') + '\r\n\r\n', 'latin1')).headers;
}

const DELIVERY_STATUS_TYPES = new Set(['message/delivery-status', 'message/global-delivery-status']);
const EMBEDDED_MESSAGE_TYPES = new Set(['message/rfc822', 'message/global']);
const HEADER_PART_TYPES = new Set(['text/rfc822-headers', 'message/rfc822-headers', 'message/global-headers']);

function structure(
  block: HeaderBlock,
  mime: MimeReadResult | null,
  maxDepth: number,
  problems: string[],
): { parts: MimePartSummary[]; embedded: EmbeddedFacts } {
  const topType = parseParams(firstHeader(block.headers, 'content-type'));
  const embedded: EmbeddedFacts = {
    contentTypes: [],
    topContentType: topType.value || 'text/plain',
    reportType: topType.params['report-type']?.toLowerCase() ?? null,
    deliveryStatus: [],
    embeddedHeaders: [],
  };
  const parts: MimePartSummary[] = [];
  if (!mime) return { parts, embedded };

  let deepest = 0;
  for (const node of walkTree(mime.tree)) {
    const contentType = (node.contentType ?? 'text/plain').toLowerCase();
    deepest = Math.max(deepest, node.depth);
    embedded.contentTypes.push(contentType);
    if (parts.length < 2000) {
      const nodeHeaders = node.headers;
      const disposition = nodeHeaders?.get('content-disposition') as { params?: { filename?: string } } | undefined;
      parts.push({ contentType, depth: node.depth, filename: disposition?.params?.filename ?? null });
    }
    if (node.depth > 0 && EMBEDDED_MESSAGE_TYPES.has(contentType) && node.children?.length) {
      // an embedded message parsed inline: its root is the first child
      const headers = headerLinesToRecord(node.children[0]!.headerLines);
      if (Object.keys(headers).length) embedded.embeddedHeaders.push(headers);
    }
    if (node.depth === 0 && contentType === 'multipart/report' && !embedded.reportType) {
      const params = (node.headers?.get('content-type') as { params?: Record<string, string> } | undefined)?.params;
      embedded.reportType = params?.['report-type']?.toLowerCase() ?? null;
    }
  }
  if (deepest > maxDepth) problems.push(`MIME parts nested ${deepest} deep (more than ${maxDepth})`);

  for (const attachment of mime.attachments) {
    const type = attachment.contentType.toLowerCase();
    if (DELIVERY_STATUS_TYPES.has(type)) {
      embedded.deliveryStatus.push(bytesToText(attachment.content).text);
    } else if (EMBEDDED_MESSAGE_TYPES.has(type) || HEADER_PART_TYPES.has(type)) {
      const headers = readHeaderBlock(attachment.content).headers;
      if (Object.keys(headers).length) embedded.embeddedHeaders.push(headers);
    }
  }
  return { parts, embedded };
}

function checkBoundary(block: HeaderBlock, body: Buffer, problems: string[]): void {
  const type = parseParams(firstHeader(block.headers, 'content-type'));
  if (!type.value.startsWith('multipart/')) return;
  const boundary = type.params.boundary;
  if (!boundary) {
    problems.push('multipart message without a boundary: read as a single part');
  } else if (body.indexOf(`--${boundary}`, block.bodyOffset, 'latin1') < 0) {
    problems.push('the multipart boundary never occurs: read as a single part');
  }
}

/**
 * Parses raw mail bytes. Resolves for every input (malformed, truncated, binary garbage); the
 * returned `parseProblems` is non-empty when something could not be read.
 */
export async function parseMail(raw: Buffer, options: ParseOptions = {}): Promise<ParsedMail> {
  const buffer = Buffer.isBuffer(raw) ? raw : Buffer.from(raw as Uint8Array);
  const byteSize = buffer.length;
  const sha256 = createHash('sha256').update(buffer).digest('hex');
  const problems: string[] = [];

  // A UTF-8 BOM or blank lines before the headers would make the header block look empty.
  let offset = bomLength(buffer);
  for (;;) {
    let end = offset;
    while (end < buffer.length && (buffer[end] === 0x20 || buffer[end] === 0x09 || buffer[end] === 0x0d)) end++;
    if (end < buffer.length && buffer[end] === 0x0a) offset = end + 1;
    else break;
  }
  const input = offset ? buffer.subarray(offset) : buffer;

  const block = readHeaderBlock(input);
  if (!block.found) problems.push('no header fields found: the whole message is kept as text');
  if (block.strayLines) {
    problems.push(`${block.strayLines} malformed header line(s) without a field name, read as continuations`);
  }
  if (block.truncated) problems.push('header block larger than 1 MiB was cut');

  const forMime = withoutLongAddressFields(input, block.bodyOffset);
  const cut = new Set(forMime.cut);
  if (cut.size) {
    problems.push(
      `${forMime.cut.join(', ')} header over ${MAX_ADDRESS_FIELD / 1024} KiB: its addresses were read by the plain header reader`,
    );
  }
  let mime: MimeReadResult | null = null;
  try {
    mime = await readMime(forMime.bytes, {
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxParts: options.maxParts ?? DEFAULT_MAX_PARTS,
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    problems.push(`the MIME structure could not be read (${message}): the body is kept as raw text`);
  }

  const headers = block.headers;
  checkBoundary(block, input, problems);

  // --- identity and threading headers (always from the raw block: mailparser keeps the last of
  // duplicates and wraps junk in brackets)
  const messageId = singleMessageId(firstHeader(headers, 'message-id'));
  const inReplyTo = singleMessageId(firstHeader(headers, 'in-reply-to'));
  const references = (headers['references'] ?? []).flatMap((value) => extractMessageIds(value));

  // --- subject
  const rawSubject = firstHeader(headers, 'subject');
  let subject = mime?.subject ?? (rawSubject !== undefined ? decodeWords(rawSubject) : '');
  if (rawSubject !== undefined && block.has8bitNonUtf8 && (subject.includes('\uFFFD') || !mime)) {
    const charset = guessHeaderCharset(block, mime?.tree);
    subject = decodeRawHeader(rawSubject, charset);
  }
  subject = oneLine(subject);

  // --- addresses
  const fromMime = mime && !cut.has('from') ? mime : null;
  let fromList = toAddresses(fromMime?.from);
  let fromName = oneLine(fromMime?.from?.value?.[0]?.name ?? '');
  if (!fromMime) {
    const rawFrom = readAddresses(firstHeader(headers, 'from'));
    fromList = rawFrom.filter((a) => a.address).map((a) => ({ address: a.address, name: oneLine(a.name) }));
    fromName = oneLine(rawFrom[0]?.name ?? '');
  }
  if (block.has8bitNonUtf8 && fromName.includes('\uFFFD')) {
    const rawFrom = readAddresses(
      decodeRawHeader(firstHeader(headers, 'from') ?? '', guessHeaderCharset(block, mime?.tree)),
    );
    if (rawFrom[0]?.name) fromName = oneLine(rawFrom[0].name);
    if (fromList[0] && rawFrom[0]?.address === fromList[0].address) fromList[0] = { ...fromList[0], name: fromName };
  }
  const from = fromList[0] ?? null;
  if (from && !fromName) fromName = from.name;
  const to = mime && !cut.has('to') ? toAddresses(mime.to) : rawAddresses(headers, 'to');
  const cc = mime && !cut.has('cc') ? toAddresses(mime.cc) : rawAddresses(headers, 'cc');
  const replyTo = mime && !cut.has('reply-to') ? toAddresses(mime.replyTo) : rawAddresses(headers, 'reply-to');

  // --- date
  const rawDate = firstHeader(headers, 'date');
  const date = parseMailDate(rawDate);
  if (rawDate !== undefined && rawDate.trim() && !date)
    problems.push(`unreadable Date header: ${oneLine(rawDate).slice(0, 80)}`);

  // --- bodies
  let text = '';
  let html: string | null = null;
  const attachments: MailAttachment[] = [];
  if (mime && block.found) {
    text = clean(mime.text);
    let referenced = new Set<string>();
    if (mime.html !== null && mime.html.trim()) {
      try {
        const sanitized = sanitizeMailHtml(clean(mime.html), { cidUrl: options.cidUrl });
        html = sanitized.html;
        referenced = new Set(sanitized.cids.map((cid) => cid.toLowerCase()));
      } catch (err) {
        problems.push(`the HTML body could not be sanitised (${err instanceof Error ? err.message : String(err)})`);
      }
      // text from the sanitised HTML, so no script text or javascript: link ends up in it
      if (!text.trim()) text = clean(htmlToPlainText(html ?? mime.html));
    }
    mime.attachments.forEach((a, index) => {
      const contentId = a.cid ? a.cid.trim() : null;
      attachments.push({
        filename: clean(a.filename ?? '').trim() || defaultFilename(a.contentType, index),
        contentType: a.contentType,
        size: a.content.length,
        contentId,
        inline: contentId !== null && referenced.has(contentId.toLowerCase()),
        content: a.content,
      });
    });
    if (text.includes('\uFFFD') && buffer.indexOf('\uFFFD', 0, 'utf8') < 0) {
      problems.push('some characters of the text could not be decoded');
    }
  } else {
    // Raw reading: the body (or, without headers, everything) as text.
    const body = block.found ? input.subarray(block.bodyOffset) : input;
    text = clean(bytesToText(body).text);
  }

  const { parts, embedded } = structure(block, mime, options.maxDepth ?? DEFAULT_MAX_DEPTH, problems);

  return {
    messageId,
    inReplyTo,
    references,
    subject,
    from,
    fromName,
    to,
    cc,
    replyTo,
    date,
    text,
    html,
    attachments,
    headers,
    parseProblems: problems,
    byteSize,
    sha256,
    parts,
    embedded,
  };
}
