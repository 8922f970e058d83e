// The mail-understanding library: pure, database-free. See README in this folder's tests for usage.
export { parseMail, parseMailDate, type ParseOptions } from './parse.js';
export { classifyMail, parseDeliveryStatus, LOOP_HEADER, type ClassifyOptions } from './classify.js';
export {
  normaliseSubject,
  sameSubject,
  findTicketToken,
  formatTicketToken,
  referencedMessageIds,
  DEFAULT_TICKET_PREFIX,
} from './threading.js';
export { splitReply, splitHtmlReply, type ReplySplit, type HtmlReplySplit } from './reply-split.js';
export { sanitizeMailHtml, type SanitizeOptions, type SanitizeResult } from './sanitize.js';
export { htmlToPlainText } from './html-text.js';
export type {
  Address,
  MailAttachment,
  ParsedMail,
  MailClassification,
  BounceInfo,
  BounceAction,
  EmbeddedFacts,
  MimePartSummary,
} from './types.js';
