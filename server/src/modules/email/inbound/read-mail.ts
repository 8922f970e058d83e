// Parsing and classifying one raw mail: the CPU-heavy part of ingest, run in the mail-reading
// threads (see mail-reader.ts) or, when there are none, on the calling thread.
import { classifyMail } from './classify.js';
import { parseMail } from './parse.js';
import { splitReply, type ReplySplit } from './reply-split.js';
import type { MailClassification, ParsedMail } from './types.js';

export interface ReadMail {
  mail: ParsedMail;
  verdict: MailClassification;
  /** The text's reply, quoted history and signature (what the timeline shows folded). */
  split: ReplySplit;
}

export async function readMail(raw: Buffer, ownDomains: string[]): Promise<ReadMail> {
  const mail = await parseMail(raw);
  return { mail, verdict: classifyMail(mail, { ownDomains }), split: splitReply(mail.text) };
}

/** The task a reading thread runs; what crosses threads is structured-cloned (Buffers arrive as Uint8Arrays). */
export default function readMailTask(task: { raw: Uint8Array; ownDomains: string[] }): Promise<ReadMail> {
  return readMail(Buffer.from(task.raw.buffer, task.raw.byteOffset, task.raw.byteLength), task.ownDomains);
}
