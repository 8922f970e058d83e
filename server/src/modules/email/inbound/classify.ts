// classifyMail: auto-reply / bounce / bulk / own-loop verdicts and whether we may answer a mail.
// The rules are the union of RFC 3834, RFC 3464, RT, FreeScout and Zammad (see
// ../shared/corpus/RULES.md); the field definitions follow the corpus' EXPECTATIONS.md.
import { decodeWords, firstHeader, messageIdDomain, singleMessageId } from './raw-headers.js';
import type { BounceAction, BounceInfo, MailClassification, ParsedMail } from './types.js';

export interface ClassifyOptions {
  /** Domains our own Message-IDs use (and subdomains): mail carrying them came from us. */
  ownDomains: string[];
  /** Our private loop header (lower-cased name). Default `x-switchboard-loop`. */
  loopHeader?: string;
}

/** The loop header our outgoing mail carries (value: the sending address or domain). */
export const LOOP_HEADER = 'X-Switchboard-Loop';

const DAEMON_LOCAL_PART = /^(mailer-daemon|mailerdaemon|mail-daemon|postmaster|mail\.delivery\.subsystem)$/i;
const DAEMON_NAME = /^(mailer[- ]daemon|postmaster|mail delivery (subsystem|system|service))$/i;

/** Subjects MTAs use for non-delivery and delay reports. */
const BOUNCE_SUBJECT =
  /^\s*(undeliver(able|ed)|undelivered mail|delivery (status notification|failure|has failed|notification|report|problem)|returned mail|mail delivery (failed|failure|subsystem|system)|failure notice|non[- ]?deliver|nondeliverable|warning: (could not|message delayed|delayed)|delayed mail|message (delivery )?delayed|mail system error|message not delivered|could not send message|returned to sender|unzustellbar|nicht zustellbar|non remis|non recapitabile|no se puede entregar|notificación de estado de entrega)/i;

/** Localised auto-reply subject prefixes; used only when no header says anything. */
const AUTO_REPLY_SUBJECT =
  /^\s*(\[?(auto(matic|matisk)?[ -]?(reply|response|answer|svar)|autoreply|autorespond(er)?|out of (the )?office( auto ?reply)?|ooo|abwesenheit(snotiz)?|automatische (antwort|rückantwort|antwoord)|automatisch antwoord|automatyczna odpowied[zź]|r[ée]ponse automatique|risposta automatica|respuesta autom[aá]tica|resposta autom[aá]tica|autosvar|automaattinen vastaus|automatick[aá] odpov[eě][dď]|automatikus v[aá]lasz|автоматический ответ|автоответ|自動応答|自动回复|自動回覆|자동 응답)\]?\s*[:：]|\[?auto[- ]?reply\]\s)/i;

function lower(value: string | undefined): string {
  return (value ?? '').trim().toLowerCase();
}

function has(mail: ParsedMail, name: string): boolean {
  return (mail.headers[name]?.length ?? 0) > 0;
}

function isOwnDomain(domain: string | null, ownDomains: string[]): boolean {
  if (!domain) return false;
  const d = domain.toLowerCase().replace(/\.$/, '');
  return ownDomains.some((own) => {
    const o = own.toLowerCase().replace(/^\.|\.$/g, '');
    return o !== '' && (d === o || d.endsWith('.' + o));
  });
}

// --- RFC 3464 delivery-status parsing -------------------------------------------------------

interface DsnRecipient {
  recipient: string | null;
  action: string | null;
  status: string | null;
}

/** Parses the field groups of a message/delivery-status body (tolerates missing blank lines). */
export function parseDeliveryStatus(body: string): DsnRecipient[] {
  const lines = body.replace(/\r\n?/g, '\n').split('\n');
  const fields: Array<[string, string]> = [];
  for (const line of lines) {
    if (/^[ \t]/.test(line) && fields.length) {
      fields[fields.length - 1]![1] += ' ' + line.trim();
      continue;
    }
    const m = /^([A-Za-z0-9-]+)\s*:\s*(.*)$/.exec(line);
    if (m) fields.push([m[1]!.toLowerCase(), m[2]!.trim()]);
  }
  const recipients: DsnRecipient[] = [];
  let current: DsnRecipient | null = null;
  const addressOf = (value: string): string | null => {
    const v = value.includes(';') ? value.slice(value.indexOf(';') + 1) : value;
    const address = v.trim().replace(/^<|>$/g, '').trim();
    return address || null;
  };
  for (const [name, value] of fields) {
    if (name === 'final-recipient' || (name === 'original-recipient' && !current?.recipient)) {
      if (name === 'final-recipient' || !current) {
        if (current && (current.recipient || current.action)) recipients.push(current);
        current = { recipient: null, action: null, status: null };
      }
      current.recipient = addressOf(value) ?? current.recipient;
    } else if (name === 'action') {
      current ??= { recipient: null, action: null, status: null };
      current.action = value.toLowerCase().split(/[\s(]/)[0] || null;
    } else if (name === 'status') {
      current ??= { recipient: null, action: null, status: null };
      current.status = /\d\.\d{1,3}\.\d{1,3}/.exec(value)?.[0] ?? current.status;
    }
  }
  if (current && (current.recipient || current.action || current.status)) recipients.push(current);
  return recipients;
}

const ACTION_RANK: Record<string, number> = { failed: 5, delayed: 4, delivered: 3, relayed: 2, expanded: 1 };

const DELAY_TEXT =
  /(\bdelayed\b|\bdelay\b|still (being )?(re)?tr(y|ied|ying)|will (continue to |be )?(re)?tr(y|ied)|has not (yet )?been delivered|not yet been delivered|temporar(y|ily) (failure|problem|unavailable)|retry timeout not yet|message is still queued|will keep trying)/i;

const ADDRESS = /[A-Za-z0-9._%+'=!#$&*/?^`{|}~-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

const RECIPIENT_INTRO =
  /(following (recipients?|addresses|address|destination)|recipients or groups|could not be delivered to|not (be )?delivered to|delivering your (mail|message) to|delivery to the following|failed to deliver to|deliver(y|ing) (has )?failed|unable to deliver( your message)? to|recipient address rejected|user unknown|no such (user|recipient)|mailbox (is )?(full|unavailable)|target (mail )?address|failure reasons?|invalid (address|recipient))/i;
/** Where the copy of the original message starts in a text bounce (its first header line). */
const ORIGINAL_HEADERS_START =
  /^(From \S+@\S+ |(?:> ?)*(Received|Return-Path|Message-I[dD]|DKIM-Signature|MIME-Version|From|To|Date|Subject|Content-Type)[ \t]*:.*\n(?:> ?)*([A-Za-z-]+[ \t]*:|[ \t]))/m;

function bounceRecipientsFromText(mail: ParsedMail, exclude: Set<string>): string[] {
  const found = new Map<string, string>();
  const add = (address: string): void => {
    const key = address.toLowerCase();
    if (!exclude.has(key) && !found.has(key)) found.set(key, address);
  };
  for (const value of mail.headers['x-failed-recipients'] ?? []) for (const m of value.matchAll(ADDRESS)) add(m[0]);
  if (found.size) return [...found.values()];
  let text = mail.text.slice(0, 20_000);
  // "Final-Recipient: rfc822; x@y" folded into the text
  for (const m of text.matchAll(/final-recipient:\s*[^;\n]*;\s*<?([^\s<>]+@[^\s<>]+)>?/gi)) add(m[1]!);
  if (found.size) return [...found.values()];
  const originalStart = ORIGINAL_HEADERS_START.exec(text);
  if (originalStart) text = text.slice(0, originalStart.index);
  // qmail / Postfix / OpenSMTPD: "<x@y>:" or "x@y: 550 …" at the start of a line
  for (const m of text.matchAll(/^\s*<([^\s<>]+@[^\s<>]+)>\s*:?/gm)) add(m[1]!);
  for (const m of text.matchAll(/^\s*([^\s<>:]+@[^\s<>:]+):\s*[245]\d\d\b/gm)) add(m[1]!);
  if (found.size) return [...found.values()];
  // "... following recipient(s)/address(es) ...:" followed by addresses
  const intro = RECIPIENT_INTRO.exec(text);
  if (intro) {
    for (const m of text.slice(intro.index, intro.index + 600).matchAll(ADDRESS)) add(m[0]);
  }
  return [...found.values()].slice(0, 50);
}

function originalFromText(text: string): { messageId: string | null; subject: string | null } {
  const body = text.slice(0, 200_000);
  const idMatch = /^[ \t>]*Message-ID:[ \t]*(<[^\s<>]+>)/im.exec(body);
  const subjectMatch = /^[ \t>]*Subject:[ \t]*(.+)$/im.exec(body);
  return { messageId: idMatch?.[1] ?? null, subject: subjectMatch ? decodeWords(subjectMatch[1]!.trim()) : null };
}

function bounceDetails(mail: ParsedMail): BounceInfo {
  const dsn = mail.embedded.deliveryStatus.flatMap((body) => parseDeliveryStatus(body));
  // text/plain bounces may carry the delivery-status fields folded into the text
  const textDsn = dsn.length ? [] : parseDeliveryStatus(mail.text.slice(0, 50_000)).filter((r) => r.action);
  const entries = dsn.length ? dsn : textDsn;

  let action: BounceAction = 'unknown';
  let status: string | undefined;
  const recipients = new Set<string>();
  for (const entry of entries) {
    if (entry.recipient) recipients.add(entry.recipient);
    const a = entry.action ?? '';
    if ((ACTION_RANK[a] ?? 0) > (ACTION_RANK[action] ?? 0)) {
      action = a as BounceAction;
      if (entry.status) status = entry.status;
    }
    if (!status && entry.status) status = entry.status;
  }
  if (!recipients.size) {
    const exclude = new Set(
      [mail.from?.address, ...mail.to.map((a) => a.address), ...mail.replyTo.map((a) => a.address)]
        .filter((a): a is string => !!a)
        .map((a) => a.toLowerCase()),
    );
    for (const r of bounceRecipientsFromText(mail, exclude)) recipients.add(r);
  }
  if (action === 'unknown') {
    const head = `${mail.subject}\n${mail.text.slice(0, 3000)}`;
    action =
      DELAY_TEXT.test(head) && !/permanent|fatal|failed permanently|user unknown|does not exist/i.test(head)
        ? 'delayed'
        : 'failed';
  }
  if (!status) status = /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(mail.text.slice(0, 20_000))?.[1];

  // The original: an embedded message or header part first, then the text, then our own headers.
  let originalMessageId: string | null = null;
  let originalSubject: string | null = null;
  for (const headers of mail.embedded.embeddedHeaders) {
    const id = singleMessageId(firstHeader(headers, 'message-id'));
    if (id && id !== mail.messageId) {
      originalMessageId = id;
      const subject = firstHeader(headers, 'subject');
      originalSubject = subject !== undefined ? decodeWords(subject).trim() : null;
      break;
    }
    if (originalSubject === null && firstHeader(headers, 'subject') !== undefined) {
      originalSubject = decodeWords(firstHeader(headers, 'subject')!).trim();
    }
  }
  if (!originalMessageId) {
    const fromText = originalFromText(mail.text);
    if (fromText.messageId && fromText.messageId !== mail.messageId) originalMessageId = fromText.messageId;
    originalSubject ??= fromText.subject;
  }
  if (!originalMessageId && mail.inReplyTo) originalMessageId = mail.inReplyTo;

  const info: BounceInfo = {
    originalMessageId,
    originalSubject,
    recipients: [...recipients],
    action,
    permanent: action === 'failed' && (!status || status.startsWith('5')),
  };
  if (status) info.status = status;
  return info;
}

/** Classifies a parsed mail. Pure: looks only at the mail and the options. */
export function classifyMail(mail: ParsedMail, options: ClassifyOptions): MailClassification {
  const reasons: string[] = [];
  const types = new Set(mail.embedded.contentTypes);
  const reportType = mail.embedded.topContentType === 'multipart/report' ? mail.embedded.reportType : null;

  const isFeedbackReport = reportType === 'feedback-report' || types.has('message/feedback-report');
  const isReadReceipt =
    reportType === 'disposition-notification' ||
    types.has('message/disposition-notification') ||
    types.has('message/global-disposition-notification');
  if (isFeedbackReport) reasons.push('ARF feedback report');
  if (isReadReceipt) reasons.push('read receipt (MDN)');

  const autoSubmitted = lower(firstHeader(mail.headers, 'auto-submitted'));
  const autoSubmittedSet = has(mail, 'auto-submitted') && autoSubmitted !== '' && !/^no\b/.test(autoSubmitted);
  const precedence = lower(firstHeader(mail.headers, 'precedence'));
  const xPrecedence = lower(firstHeader(mail.headers, 'x-precedence'));
  const returnPath = firstHeader(mail.headers, 'return-path');
  const nullReturnPath = returnPath !== undefined && /^<?\s*>?$|<\s*>/.test(returnPath.trim());
  const fromLocal = mail.from ? lower(mail.from.address.split('@')[0]) : '';
  const rawFrom = firstHeader(mail.headers, 'from');
  const fromIsDaemon = DAEMON_LOCAL_PART.test(fromLocal) || (!mail.from && DAEMON_NAME.test(mail.fromName.trim()));
  const emptyFromAddress = rawFrom !== undefined && !mail.from && /<\s*>/.test(rawFrom);

  // --- bounces
  let bounceReason: string | null = null;
  if (!isFeedbackReport && !isReadReceipt) {
    if (reportType === 'delivery-status') bounceReason = 'multipart/report; report-type=delivery-status';
    else if (types.has('message/delivery-status') || types.has('message/global-delivery-status'))
      bounceReason = 'message/delivery-status part';
    else if (has(mail, 'x-failed-recipients')) bounceReason = 'X-Failed-Recipients';
    else if (fromIsDaemon) bounceReason = `sender ${mail.from?.address ?? mail.fromName}`;
    else if (emptyFromAddress) bounceReason = 'empty From address';
    else if (BOUNCE_SUBJECT.test(mail.subject) && (nullReturnPath || autoSubmittedSet)) {
      bounceReason = 'non-delivery subject from a null sender';
    }
  }
  const isBounce = bounceReason !== null;
  if (bounceReason) reasons.push(bounceReason);

  // --- automatic replies (never on bounces or reports)
  let isAutoReply = false;
  if (!isBounce && !isFeedbackReport && !isReadReceipt) {
    const auto: string[] = [];
    if (autoSubmittedSet) auto.push(`Auto-Submitted: ${autoSubmitted}`);
    for (const name of ['x-autoreply', 'x-autorespond', 'x-autoresponder']) {
      const value = lower(firstHeader(mail.headers, name));
      if (has(mail, name) && !/^(no|false|0)$/.test(value)) auto.push(name);
    }
    if (precedence === 'auto_reply' || xPrecedence === 'auto_reply') auto.push('Precedence: auto_reply');
    const suppressHeader = lower(mail.headers['x-auto-response-suppress']?.join(','));
    if (has(mail, 'x-ms-exchange-inbox-rules-loop') && /\b(all|oof|autoreply)\b/.test(suppressHeader)) {
      auto.push('Exchange out-of-office (X-Auto-Response-Suppress + Inbox-Rules-Loop)');
    }
    if (lower(firstHeader(mail.headers, 'x-apple-action')).includes('vacation')) auto.push('X-Apple-Action: vacation');
    if ((mail.headers['delivered-to'] ?? []).some((v) => lower(v) === 'autoresponder')) {
      auto.push('Delivered-To: autoresponder');
    }
    if (lower(firstHeader(mail.headers, 'x-fc-machinegenerated')) === 'true') auto.push('X-FC-MachineGenerated');
    if (!auto.length && AUTO_REPLY_SUBJECT.test(mail.subject)) auto.push('auto-reply subject');
    isAutoReply = auto.length > 0;
    reasons.push(...auto);
  }

  // --- bulk (header-based only)
  const bulk: string[] = [];
  if (/^(bulk|list|junk)\b/.test(precedence)) bulk.push(`Precedence: ${precedence}`);
  if (has(mail, 'list-id')) bulk.push('List-Id');
  if (has(mail, 'list-unsubscribe')) bulk.push('List-Unsubscribe');
  const isBulk = bulk.length > 0;
  reasons.push(...bulk);

  // --- our own mail coming back
  const loopHeader = (options.loopHeader ?? LOOP_HEADER).toLowerCase();
  const own: string[] = [];
  if (isOwnDomain(messageIdDomain(mail.messageId), options.ownDomains)) own.push('our own Message-ID domain');
  const loopValues = [...(mail.headers[loopHeader] ?? []), ...(mail.headers['x-loop'] ?? [])];
  if (loopValues.some((v) => isOwnDomain(/@?([^@\s<>]+)>?\s*$/.exec(v.trim())?.[1] ?? null, options.ownDomains))) {
    own.push('our loop header');
  }
  const isOwnLoop = own.length > 0;
  reasons.push(...own);

  // --- may we answer?
  const extra: string[] = [];
  const xLoop = (mail.headers['x-loop'] ?? []).map(lower);
  if (xLoop.some((v) => /\b(yes|true)\b/.test(v))) extra.push('X-Loop');
  const suppress = lower(mail.headers['x-auto-response-suppress']?.join(','));
  if (/\b(all|autoreply)\b/.test(suppress)) extra.push(`X-Auto-Response-Suppress: ${suppress}`);
  if (nullReturnPath) extra.push('null Return-Path');
  if (/^(bulk|list|junk|auto_reply)\b/.test(xPrecedence)) extra.push(`X-Precedence: ${xPrecedence}`);
  if (autoSubmittedSet && !isAutoReply) extra.push(`Auto-Submitted: ${autoSubmitted}`);
  reasons.push(...extra.filter((r) => !reasons.includes(r)));
  const suppressAutoResponse =
    isAutoReply || isBounce || isBulk || isOwnLoop || isFeedbackReport || isReadReceipt || extra.length > 0;

  const classification: MailClassification = {
    isAutoReply,
    isBounce,
    isBulk,
    isOwnLoop,
    suppressAutoResponse,
    isFeedbackReport,
    isReadReceipt,
    reasons,
  };
  if (isBounce) classification.bounce = bounceDetails(mail);
  return classification;
}
