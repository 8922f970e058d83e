// Quote and signature folding for plain-text and HTML replies. The ideas are mailgun talon's
// (mark every line as text / quote / splitter / forward, then read the marker string), with two
// changes: a run of text between quote blocks only counts as an inline reply when a blank line
// separates it from the quote before it (wrapped quote lines otherwise look like replies), and
// signatures ("-- ", "Sent from my …") are split off the reply. Nothing is ever dropped:
// reply + quoted + signature hold the whole text.
import sanitizeHtml from 'sanitize-html';

export interface ReplySplit {
  /** What the sender wrote in this mail (never null; may be '' for a quote-only mail). */
  reply: string;
  /** The quoted history, from its header line ("On … wrote:", "-----Original Message-----") on. */
  quoted: string | null;
  /** The sender's signature below the reply. */
  signature: string | null;
}

/** Lines beyond this many are not examined (a splitter found earlier still folds everything after). */
const MAX_LINES = 5000;
/** A signature is at most this many non-empty lines long. */
const MAX_SIGNATURE_LINES = 14;

const QUOTE_LINE = /^\s*>/;

const WROTE_VERBS =
  'wrote|writes|schrieb|a écrit|a ecrit|escribió|escribio|ha scritto|schreef|escreveu|skrev|skrifaði|napisał\\(a\\)|napisała|napisał|написал\\(а\\)|написала|написал|kirjoitti|napsal\\(a\\)|napsala|napsal|yazdı|írta|έγραψε|כתב|كتب';
const OPENERS = 'On|Am|Le|El|Il|Op|Em|Den|Dne|W dniu|Dnia|På|Pe|Na|Dňa|Ön|Tanggal|Vào|Στις|В|Op|Üzenet|Dana|Kl\\.';

/**
 * "On <date>, <name> wrote:" in its many languages, possibly wrapped over up to three lines; the
 * verb may also come before the name ("Op <date> schreef <name> <address>:").
 */
const ON_WROTE = new RegExp(
  `^[\\s>]*(?:-{2,}\\s*)?(?:${OPENERS})\\b[^\\n]{0,400}?\\b(?:${WROTE_VERBS})(?:[^\\n]{0,250}[:：]|\\s*[:：]?)\\s*(?:-{2,})?\\s*$`,
  'iu',
);
/** "<date> <name> <address> wrote:" without an opener word (Android, mutt, Russian clients). */
const GENERIC_WROTE = new RegExp(`^[^\\n]{0,400}?(?:${WROTE_VERBS})\\s*[:：]\\s*$`, 'iu');
const CJK_WROTE = /^[^\n]{0,300}(写道|寫道|書きました|のメッセージ|작성)\s*[:：]?\s*$/u;
/**
 * A header without a verb: "30.09.2017, 18.30, "John" <john@example.com>:",
 * "ср, 30 апр. 2025 г. в 15:19, John Doe <doe@example.com>:" — a year, a time and an address
 * right before the final colon.
 */
const DATE_ADDRESS_COLON = /^[^\n]{0,300}(@[^\s]+|<[^<>]*>|>)\s*[:：]\s*$/;
function isDateAddressHeader(text: string): boolean {
  return (
    text.length <= 320 &&
    text.includes('@') &&
    /\b(19|20)\d{2}\b/.test(text) &&
    /\b\d{1,2}[:.]\d{2}\b/.test(text) &&
    DATE_ADDRESS_COLON.test(text)
  );
}

const ORIGINAL_MESSAGE =
  /^\s*[-_=*]{2,}\s*(original message|original-nachricht|ursprüngliche nachricht|urspr[uü]ngliche nachricht|message d'origine|oprindelig besked|opprinnelig melding|alkuperäinen viesti|originalnachricht|message original|mensaje original|messaggio originale|oorspronkelijk bericht|originalmeddelelse|oprindelig meddelelse|opprinnelig melding|originalmelding|ursprungligt meddelande|originalmeddelande|alkuperäinen viesti|původní zpráva|pôvodná správa|eredeti üzenet|wiadomość oryginalna|oryginalna wiadomość|исходное сообщение|оригинальное сообщение|mensagem original|mensaje original|原始邮件|原始郵件|元のメッセージ|reply message|antwort nachricht)\s*[-_=*]{2,}\s*$/i;

const FORWARD =
  /^\s*(-{2,}\s*(forwarded message|weitergeleitete nachricht|message transféré|mensaje reenviado|messaggio inoltrato|doorgestuurd bericht|videresendt meddelelse|vidarebefordrat meddelande|wiadomość przekazana|пересылаемое сообщение|forwarded by [^\n]*)\s*-{2,}|begin forwarded message\s*:|anfang der weitergeleiteten nachricht\s*:|début du message réexpédié\s*:|inicio del mensaje reenviado\s*:)\s*$/i;

const FROM_KEYS =
  'from|von|de|van|da|fra|från|od|от|lähettäjä|feladó|kimden|afzender|remitente|mittente|発信者|差出人|发件人|寄件者|message du';
const OTHER_KEYS =
  'sent|date|datum|envoyé|envoyé le|envoye|gesendet|skickat|sendt|enviado|enviado el|inviato|wysłano|data|отправлено|дата|lähetetty|päivämäärä|dátum|tarih|to|an|à|a|aan|til|till|do|кому|para|per|cc|kopie|copie à|subject|betreff|objet|asunto|oggetto|onderwerp|emne|ämne|temat|тема|aihe|předmět|tárgy|konu|assunto|主题|主旨|件名|sujet';
const FROM_LINE = new RegExp(`^\\s*[*_]?(?:${FROM_KEYS})[*_]?\\s*[:：]`, 'iu');
const HEADER_LINE = new RegExp(`^\\s*[*_]?(?:${FROM_KEYS}|${OTHER_KEYS})[*_]?\\s*[:：]`, 'iu');
const SEPARATOR_LINE = /^\s*([-_=*])\1{3,}\s*$/;

const SIGNATURE_DELIMITER = /^-- ?$/;
const MOBILE_SIGNATURE =
  /^\s*(sent from (my )?[\p{L}\p{N} .'’&-]{1,40}|sent (with|via|using) [\p{L}\p{N} .'’&-]{1,40}|(get|download) outlook for (ios|android|mac|windows)|obtenir outlook pour (ios|android)|envoyé à partir de outlook pour (ios|android)|outlook für (ios|android) beziehen|holen sie sich outlook für (ios|android)|envoyé de mon [\p{L}\p{N} .'’-]{1,40}|envoyé depuis [\p{L}\p{N} .'’-]{1,40}|von meinem [\p{L}\p{N} .'’-]{1,40} gesendet|gesendet von [\p{L}\p{N} .'’-]{1,40}|inviato da [\p{L}\p{N} .'’-]{1,40}|enviado desde mi [\p{L}\p{N} .'’-]{1,40}|enviado do meu [\p{L}\p{N} .'’-]{1,40}|verzonden (vanaf|met) [\p{L}\p{N} .'’-]{1,40}|skickat från min [\p{L}\p{N} .'’-]{1,40}|sendt fra min [\p{L}\p{N} .'’-]{1,40}|отправлено с [\p{L}\p{N} .'’-]{1,40})\s*(<[^>\s]*>|\([^)\s]*\))?\s*\.?\s*$/iu;

type Marker = 'e' | 'm' | 's' | 'f' | 'g' | 't';

function isSplitterAt(lines: string[], i: number): number {
  const line = lines[i]!;
  if (ORIGINAL_MESSAGE.test(line)) return 1;
  // "On … wrote:" possibly wrapped: try 1 to 3 lines
  let joined = '';
  for (let k = 0; k < 3 && i + k < lines.length; k++) {
    const next = lines[i + k]!;
    // (Gmail wraps "<address\n>:" so that the last piece looks like a quote line)
    if (k > 0 && (!next.trim() || (QUOTE_LINE.test(next) && !/^\s*>\s*[:：]\s*$/.test(next)))) break;
    joined = k ? `${joined} ${next.trim()}` : next;
    if (joined.length > 600) break;
    const looksLikeHeader = /\d|@/.test(joined);
    // without an opener word a wrapped header must start like one (a date, a digit, a quote mark)
    const genericStart = k === 0 || /^\s*(\d|["'<(\[-])/.test(line);
    if (
      looksLikeHeader &&
      (ON_WROTE.test(joined) || (genericStart && (GENERIC_WROTE.test(joined) || CJK_WROTE.test(joined))))
    ) {
      return k + 1;
    }
    if (k < 2 && /\b(19|20)\d{2}\b/.test(line) && isDateAddressHeader(joined)) return k + 1;
  }
  // An Outlook-style header block: a From line (possibly wrapped once) and another header line.
  if (FROM_LINE.test(line) || HEADER_LINE.test(line)) {
    let keys = 0;
    let from = false;
    let end = i;
    for (let k = i; k < Math.min(lines.length, i + 8); k++) {
      const l = lines[k]!;
      if (HEADER_LINE.test(l)) {
        keys++;
        if (FROM_LINE.test(l)) from = true;
        end = k;
      } else if (!l.trim() || k - end > 1) break;
    }
    if (keys >= 2 && from) return end - i + 1;
  }
  return 0;
}

function hasTextAfter(lines: string[], i: number): boolean {
  for (let k = i + 1; k < lines.length; k++) if (lines[k]!.trim()) return true;
  return false;
}

function markLines(lines: string[]): Marker[] {
  const markers: Marker[] = new Array<Marker>(lines.length).fill('t');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.trim()) markers[i] = 'e';
    else if (QUOTE_LINE.test(line)) markers[i] = 'm';
    else if (FORWARD.test(line)) markers[i] = 'f';
    else if (i > 0 && !lines[i - 1]!.trim() && MOBILE_SIGNATURE.test(line) && hasTextAfter(lines, i)) markers[i] = 'g';
    else {
      const span = isSplitterAt(lines, i);
      if (span) {
        for (let k = 0; k < span; k++) markers[i + k] = 's';
        i += span - 1;
      }
    }
  }
  return markers;
}

function trimLines(lines: string[]): string {
  let start = 0;
  let end = lines.length;
  while (start < end && !lines[start]!.trim()) start++;
  while (end > start && !lines[end - 1]!.trim()) end--;
  return lines
    .slice(start, end)
    .map((l) => l.replace(/\s+$/, ''))
    .join('\n');
}

/** A mailing-list footer: a rule of underscores followed by the list's boilerplate. */
const LIST_FOOTER = /mailing list|listinfo|mailman|unsubscribe|abbestellen|désinscri|to stop receiving/i;

/** Splits a signature off the end of the reply lines. */
function splitSignature(lines: string[]): { body: string[]; signature: string[] | null } {
  let last = lines.length - 1;
  while (last >= 0 && !lines[last]!.trim()) last--;
  if (last < 0) return { body: lines, signature: null };
  let start = -1;
  let nonEmpty = 0;
  for (let i = last; i >= 0; i--) {
    const line = lines[i]!;
    // "-- " delimiter close to the end (a lone delimiter on the last line is no signature)
    if (SIGNATURE_DELIMITER.test(line) && i !== last) start = i;
    // a list footer below a rule of underscores
    if (/^\s*_{2,}\s*$/.test(line) && LIST_FOOTER.test(lines.slice(i + 1, last + 1).join('\n'))) start = i;
    if (line.trim()) nonEmpty++;
    if (nonEmpty > MAX_SIGNATURE_LINES) break;
  }
  // "Sent from my iPhone" and friends as the last line
  if (start < 0 && MOBILE_SIGNATURE.test(lines[last]!)) start = last;
  if (start < 0) return { body: lines, signature: null };
  return { body: lines.slice(0, start), signature: lines.slice(start, last + 1) };
}

function result(replyLines: string[], quotedLines: string[] | null): ReplySplit {
  const { body, signature } = splitSignature(replyLines);
  const quoted = quotedLines ? trimLines(quotedLines) : '';
  const sig = signature ? trimLines(signature) : '';
  return { reply: trimLines(body), quoted: quoted || null, signature: sig || null };
}

/** Where the quoted history is: lines [start, end), or a mobile signature line with the quote after it. */
type QuoteLocation =
  { kind: 'none' } | { kind: 'span'; start: number; end: number } | { kind: 'mobile'; index: number };

function locateQuote(lines: string[], markers: string): QuoteLocation {
  const first = /[smfg]/.exec(markers);
  if (!first || markers[first.index] === 'f') return { kind: 'none' };
  // "Sent from my phone" ends the reply; mobile clients put the quote right below it
  if (markers[first.index] === 'g') return { kind: 'mobile', index: first.index };

  // An inline reply: text after a quote block (separated by a blank line) followed by more quote.
  if (/me+t[te]*m/.test(markers.slice(first.index))) return { kind: 'none' };

  if (markers[first.index] === 's') {
    let start = first.index;
    // include a separator line ("____", "====") just above the header, with at most one blank between
    let k = start - 1;
    if (k >= 0 && markers[k] === 'e') k--;
    if (k >= 0 && SEPARATOR_LINE.test(lines[k]!)) start = k;
    let afterSplitter = first.index;
    while (afterSplitter < markers.length && markers[afterSplitter] === 's') afterSplitter++;
    const next = /[^e]/.exec(markers.slice(afterSplitter));
    if (next && markers[afterSplitter + next.index] === 'm') {
      // header + quoted lines; text after the last quote line is a bottom-posted reply (or a signature)
      return { kind: 'span', start, end: markers.lastIndexOf('m') + 1 };
    }
    // Outlook style: everything after the header is the original message.
    return { kind: 'span', start, end: lines.length };
  }

  // Quote lines without a header: fold the final quote block when it has at least two lines.
  const quoteBlock = /(m[me]*)[te]*$/.exec(markers);
  if (quoteBlock && (quoteBlock[1]!.match(/m/g)?.length ?? 0) >= 2) {
    const start = quoteBlock.index;
    return { kind: 'span', start, end: start + quoteBlock[1]!.replace(/e+$/, '').length };
  }
  return { kind: 'none' };
}

/**
 * Splits a plain-text mail body into the new reply, the quoted history and the signature.
 * Inline replies (answers between quoted blocks) are left whole: folding them would hide what
 * the sender wrote.
 */
export function splitReply(text: string): ReplySplit {
  const all = (text ?? '').replace(/\r\n?/g, '\n').split('\n');
  const lines = all.length > MAX_LINES ? all.slice(0, MAX_LINES) : all;
  const rest = all.length > MAX_LINES ? all.slice(MAX_LINES) : [];
  const location = locateQuote(lines, markLines(lines).join(''));
  if (location.kind === 'none') return result(all, null);
  if (location.kind === 'mobile') {
    const above = result(lines.slice(0, location.index), null);
    const mobile = trimLines(lines.slice(location.index, location.index + 1));
    const quoted = trimLines([...lines.slice(location.index + 1), ...rest]);
    return {
      reply: above.reply,
      quoted: quoted || null,
      signature: above.signature ? `${above.signature}\n\n${mobile}` : mobile,
    };
  }
  const { start, end } = location;
  if (end >= lines.length) return result(lines.slice(0, start), [...lines.slice(start), ...rest]);
  return result([...lines.slice(0, start), ...lines.slice(end), ...rest], lines.slice(start, end));
}

// ---------------------------------------------------------------------------------------------
// HTML

export interface HtmlReplySplit {
  reply: string;
  quoted: string | null;
}

/** Elements the big clients wrap quoted history in (on the sanitised HTML, see sanitize.ts). */
const HTML_MARKERS: RegExp[] = [
  /<div[^>]*\bclass="[^"]*\bgmail_quote\b[^"]*"[^>]*>/i,
  /<blockquote[^>]*\btype="cite"[^>]*>/i,
  /<div[^>]*\bclass="[^"]*\bmoz-cite-prefix\b[^"]*"[^>]*>/i,
  /<div[^>]*\bid="appendonsend"[^>]*>/i,
  /<div[^>]*\bid="divRplyFwdMsg"[^>]*>/i,
  /<div[^>]*\bclass="[^"]*\b(yahoo_quoted|protonmail_quote|zmail_extra|OutlookMessageHeader)\b[^"]*"[^>]*>/i,
];

const FORWARDED_HTML =
  /forwarded message|weitergeleitete nachricht|message transféré|begin forwarded|mensaje reenviado/i;

const BLOCK_BOUNDARY = /<(\/?)(br|hr|div|p|blockquote|table|tr|li|ul|ol|h[1-6]|pre|center)\b[^>]*>/gi;

function decodeEntities(text: string): string {
  return text
    .replace(/&nbsp;|&#160;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#0*39;|&apos;/g, "'")
    .replace(/&#(\d+);/g, (_m, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&amp;/g, '&');
}

/** The HTML as text lines, each remembering where it starts in the HTML; blockquote content is "> "-prefixed. */
function htmlLines(html: string): { lines: string[]; offsets: number[] } {
  const lines: string[] = [];
  const offsets: number[] = [];
  let depth = 0;
  let cursor = 0;
  let lineStart = 0;
  let lineDepth = 0;
  const push = (end: number): void => {
    const text = decodeEntities(html.slice(cursor, end).replace(/<[^>]*>/g, ''))
      .replace(/\s+/g, ' ')
      .trim();
    lines.push(lineDepth > 0 && text ? '>'.repeat(lineDepth) + ' ' + text : text);
    offsets.push(lineStart);
  };
  for (const m of html.matchAll(BLOCK_BOUNDARY)) {
    push(m.index);
    const closing = m[1] === '/';
    if (m[2]!.toLowerCase() === 'blockquote') depth = Math.max(0, depth + (closing ? -1 : 1));
    cursor = m.index + m[0].length;
    lineStart = m.index;
    lineDepth = depth;
    if (lines.length > MAX_LINES) break;
  }
  push(html.length);
  return { lines, offsets };
}

function balance(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: false,
    allowedAttributes: false,
    allowedSchemesAppliedToAttributes: [],
    allowVulnerableTags: true,
    parseStyleAttributes: false,
  }).trim();
}

/**
 * Splits sanitised mail HTML into the reply and the quoted history: at the first quote element the
 * big clients leave (Gmail's gmail_quote, Apple/Thunderbird's blockquote type=cite, Outlook's
 * divRplyFwdMsg/appendonsend, Yahoo, ProtonMail), or else where the text of the HTML shows a quote
 * header or quoted block, found the same way as in splitReply. Forwarded messages are not folded.
 */
export function splitHtmlReply(html: string): HtmlReplySplit {
  let cut = -1;
  let end = html.length;
  for (const marker of HTML_MARKERS) {
    const m = marker.exec(html);
    if (!m) continue;
    const following = html.slice(m.index, m.index + 800).replace(/<[^>]*>/g, ' ');
    if (FORWARDED_HTML.test(following)) continue;
    if (cut < 0 || m.index < cut) cut = m.index;
  }
  if (cut < 0) {
    const { lines, offsets } = htmlLines(html);
    const markers = markLines(lines).join('').replace(/g/g, 't');
    const location = locateQuote(lines, markers);
    if (location.kind === 'span') {
      let start = location.start;
      // take a rule (<hr>) right above the quote header along
      if (start > 0 && !lines[start - 1] && /^<hr\b/i.test(html.slice(offsets[start - 1]!, offsets[start - 1]! + 3))) {
        start--;
      }
      cut = offsets[start]!;
      // below a quote header everything is history (HTML mail is not bottom-posted)
      const headed = /^[e]*[s]/.test(markers.slice(location.start)) || /^[-_=*]/.test(lines[location.start]!.trim());
      end = headed || location.end >= lines.length ? html.length : offsets[location.end]!;
    }
  }
  if (cut <= 0) return { reply: html, quoted: null };
  const quoted = balance(html.slice(cut, end));
  const reply = balance(html.slice(0, cut) + html.slice(end));
  return { reply, quoted: quoted || null };
}
