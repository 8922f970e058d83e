// Runs mailparser (3.9.31, pinned) the way simpleParser does, with two changes:
// - format=flowed text is decoded by our quote-aware decoder instead of libmime's (see flowed.ts);
// - after the run the MIME tree is walked once to collect what classification needs (content types,
//   headers of embedded messages), which simpleParser does not expose.
// It relies on three internals of MailParser (processChunk, getTextContent, tree); the version is
// pinned and mime-reader.test.ts covers them.
import type { Transform } from 'node:stream';
import mailparser from 'mailparser';
import type { AddressObject, Headers, MailParserOptions } from 'mailparser';
import { decodeFlowed } from './flowed.js';

interface SplitterNode {
  type?: string;
  flowed?: boolean;
  delSp?: boolean;
  /** set by us when we took flowed decoding over */
  sbFlowed?: { delSp: boolean };
}

/** A node of MailParser's internal tree. */
export interface TreeNode {
  node?: SplitterNode;
  contentType?: string;
  headers?: Headers;
  headerLines?: ReadonlyArray<{ key: string; line: string }>;
  textContent?: string;
  children?: TreeNode[];
  charset?: string;
  disposition?: string;
}

interface ParserInternals {
  processChunk(data: SplitterNode, done: (err?: Error | null) => void): void;
  getTextContent(): unknown;
  tree: TreeNode | false;
}

type InternalParserClass = new (options: MailParserOptions) => Transform & ParserInternals;

const BaseParser = mailparser.MailParser as unknown as InternalParserClass;

class InboundMailParser extends BaseParser {
  override processChunk(data: SplitterNode, done: (err?: Error | null) => void): void {
    if (data && data.type === 'node' && data.flowed) {
      data.sbFlowed = { delSp: !!data.delSp };
      data.flowed = false;
    }
    super.processChunk(data, done);
  }

  override getTextContent(): unknown {
    for (const node of walkTree(this.tree || undefined)) {
      if (node.node?.sbFlowed && typeof node.textContent === 'string') {
        node.textContent = decodeFlowed(node.textContent, node.node.sbFlowed.delSp);
      }
    }
    return super.getTextContent();
  }
}

/** Depth-first, root first; iterative so that deep nesting cannot exhaust the stack. */
export function* walkTree(root: TreeNode | undefined): Generator<TreeNode & { depth: number }> {
  if (!root) return;
  const stack: Array<[TreeNode, number]> = [[root, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    yield Object.assign(node, { depth });
    const children = node.children ?? [];
    for (let i = children.length - 1; i >= 0; i--) stack.push([children[i]!, depth + 1]);
  }
}

export interface ReadAttachment {
  content: Buffer;
  contentType: string;
  filename?: string;
  contentDisposition?: string;
  cid?: string;
  related?: boolean;
  partId?: string;
  headers?: Headers;
}

export interface MimeReadResult {
  headers: Headers;
  text: string;
  html: string | null;
  attachments: ReadAttachment[];
  tree: TreeNode | undefined;
  from?: AddressObject;
  to?: AddressObject | AddressObject[];
  cc?: AddressObject | AddressObject[];
  replyTo?: AddressObject;
  subject?: string;
}

export interface MimeReadOptions {
  /** Give up (and let the caller fall back) after this long. */
  timeoutMs: number;
  /** mailsplit's limit on the number of MIME parts. */
  maxParts: number;
}

interface AttachmentData extends ReadAttachment {
  type: 'attachment';
  content: Buffer & NodeJS.ReadableStream;
  release: (() => void) | null;
}

/** Parses `raw` with mailparser. Rejects on any parser error or on timeout; never hangs. */
export function readMime(raw: Buffer, options: MimeReadOptions): Promise<MimeReadResult> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const parser = new InboundMailParser({
      keepDeliveryStatus: true,
      skipHtmlToText: true,
      skipTextLinks: true,
      skipImageLinks: true,
      maxChildNodes: options.maxParts,
    } as MailParserOptions);
    const result: MimeReadResult = { headers: new Map(), text: '', html: null, attachments: [], tree: undefined };

    const timer = setTimeout(() => {
      finish(new Error(`mail parser gave up after ${options.timeoutMs} ms`));
    }, options.timeoutMs);

    function finish(err: Error | null): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) {
        parser.destroy();
        reject(err);
      } else {
        resolve(result);
      }
    }

    parser.on('error', (err: Error) => finish(err instanceof Error ? err : new Error(String(err))));
    parser.on('headers', (headers: Headers) => {
      result.headers = headers;
    });

    let reading = false;
    const read = (): void => {
      reading = true;
      for (;;) {
        if (settled) return;
        const data = parser.read() as { type: 'text'; text?: string; html?: string | false } | AttachmentData | null;
        if (data === null) {
          reading = false;
          return;
        }
        if (data.type === 'text') {
          if (typeof data.text === 'string') result.text = data.text;
          if (typeof data.html === 'string') result.html = data.html;
          continue;
        }
        const attachment = data;
        const chunks: Buffer[] = [];
        let length = 0;
        const stream = attachment.content;
        stream.on('readable', () => {
          let chunk: Buffer | null;
          while ((chunk = stream.read() as Buffer | null) !== null) {
            chunks.push(chunk);
            length += chunk.length;
          }
        });
        stream.on('error', (err: Error) => finish(err));
        stream.on('end', () => {
          result.attachments.push({
            content: Buffer.concat(chunks, length),
            contentType: attachment.contentType,
            filename: attachment.filename,
            contentDisposition: attachment.contentDisposition,
            cid: attachment.cid,
            related: attachment.related,
            partId: attachment.partId,
            headers: attachment.headers,
          });
          attachment.release?.();
          read();
        });
        return;
      }
    };
    parser.on('readable', () => {
      if (!reading) read();
    });
    parser.on('end', () => {
      result.tree = parser.tree || undefined;
      const h = result.headers;
      result.from = h.get('from') as AddressObject | undefined;
      result.to = h.get('to') as AddressObject | AddressObject[] | undefined;
      result.cc = h.get('cc') as AddressObject | AddressObject[] | undefined;
      result.replyTo = h.get('reply-to') as AddressObject | undefined;
      const subject = h.get('subject');
      if (typeof subject === 'string') result.subject = subject;
      finish(null);
    });

    try {
      parser.end(raw);
    } catch (err) {
      finish(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
