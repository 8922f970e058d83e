/** A mailbox from an address header. `address` is never empty; `name` may be. */
export interface Address {
  address: string;
  name: string;
}

export interface MailAttachment {
  /** The file name the sender gave, or a generated one (`attachment-1.bin`, `message.eml`). */
  filename: string;
  contentType: string;
  /** Decoded size in bytes (equals `content.length`). */
  size: number;
  /** Content-ID without angle brackets, or null. */
  contentId: string | null;
  /** True for parts shown inside the body (`Content-Disposition: inline` or part of multipart/related). */
  inline: boolean;
  content: Buffer;
}

/** One step in the MIME tree, for callers that want the structure (depth-first, root first). */
export interface MimePartSummary {
  contentType: string;
  depth: number;
  filename: string | null;
}

export interface ParsedMail {
  /** With angle brackets, e.g. `<abc@example.com>`; null when the header is absent or empty. */
  messageId: string | null;
  inReplyTo: string | null;
  /** Every id of the References header, oldest first, with angle brackets. */
  references: string[];
  /** RFC 2047-decoded, unfolded and trimmed; '' when there is none. */
  subject: string;
  from: Address | null;
  /** The display name of the From header even when it has no address (`MAILER-DAEMON <>`). */
  fromName: string;
  to: Address[];
  cc: Address[];
  replyTo: Address[];
  /** The Date header, or null when absent or unreadable (never "now"). */
  date: Date | null;
  /** Plain text: the text parts, or text derived from the HTML when there are none. Full, nothing folded. */
  text: string;
  /** Sanitised HTML, safe to show (see sanitize.ts), or null when the mail has no HTML part. */
  html: string | null;
  attachments: MailAttachment[];
  /**
   * The top-level header fields, lower-cased names, raw (unfolded, not RFC 2047-decoded) values in
   * the order they appear; bytes that are not UTF-8 are kept as latin1. Headers of embedded
   * messages are never included.
   */
  headers: Record<string, string[]>;
  /** Empty when everything could be read; otherwise what went wrong (the mail is still usable). */
  parseProblems: string[];
  /** Size of the raw input in bytes. */
  byteSize: number;
  /** Hex sha256 of the raw bytes, to de-duplicate mail that has no Message-ID. */
  sha256: string;
  /** The MIME structure as read, for diagnostics and classification. */
  parts: MimePartSummary[];
  /** Internal: facts about embedded messages and report parts that classifyMail needs. */
  embedded: EmbeddedFacts;
}

export interface EmbeddedFacts {
  /** Content types of every part, lower-cased (including those inside embedded messages). */
  contentTypes: string[];
  /** Top-level Content-Type value and its `report-type` parameter, lower-cased. */
  topContentType: string;
  reportType: string | null;
  /** Decoded bodies of message/delivery-status (and message/global-delivery-status) parts. */
  deliveryStatus: string[];
  /** Header blocks of embedded messages (message/rfc822 parts and text/rfc822-headers parts). */
  embeddedHeaders: Array<Record<string, string[]>>;
}

export type BounceAction = 'failed' | 'delayed' | 'delivered' | 'relayed' | 'expanded' | 'unknown';

export interface BounceInfo {
  /** Message-ID of the mail that bounced (ours, if we sent it), from the embedded original or the text. */
  originalMessageId: string | null;
  /** Subject of the bounced original when it could be read (it may carry our ticket token). */
  originalSubject: string | null;
  /** Recipients the report is about. */
  recipients: string[];
  /** The most severe action reported: failed > delayed > the others. */
  action: BounceAction;
  /** Enhanced status code such as `5.1.1`, when given. */
  status?: string;
  /** Permanent failure: action failed and a 5.x.x status (or no status at all). */
  permanent: boolean;
}

export interface MailClassification {
  /** Vacation/out-of-office and other automatic replies (never set on bounces). */
  isAutoReply: boolean;
  /** Delivery status notifications of any kind, including delay warnings. */
  isBounce: boolean;
  /** Mailing list / bulk mail by header (Precedence bulk/list/junk, List-Id, List-Unsubscribe). */
  isBulk: boolean;
  /** Mail that came from us (our Message-ID domain or our loop header). */
  isOwnLoop: boolean;
  /** True when no automatic answer (acknowledgement, auto-reply) may be sent to this mail. */
  suppressAutoResponse: boolean;
  /** ARF feedback report (abuse/spam complaint). */
  isFeedbackReport: boolean;
  /** MDN read receipt / disposition notification. */
  isReadReceipt: boolean;
  /** Why each verdict was reached, e.g. `auto-submitted: auto-replied`; useful in logs and the UI. */
  reasons: string[];
  bounce?: BounceInfo;
}
