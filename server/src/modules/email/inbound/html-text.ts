// Plain text from HTML, for mails that have no text part. Bounded: html-to-text's limits cap the
// nesting depth (the "call stack bomb" fixtures) and the input length.
import { compile } from 'html-to-text';

export const MAX_HTML_TO_TEXT_INPUT = 4 * 1024 * 1024;

const convert = compile({
  wordwrap: false,
  limits: { maxInputLength: MAX_HTML_TO_TEXT_INPUT, maxDepth: 64, maxChildNodes: 50_000, ellipsis: '…' },
  selectors: [
    { selector: 'img', format: 'skip' },
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true, ignoreHref: false, noAnchorUrl: true } },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'h3', options: { uppercase: false } },
    { selector: 'h4', options: { uppercase: false } },
    { selector: 'h5', options: { uppercase: false } },
    { selector: 'h6', options: { uppercase: false } },
    { selector: 'blockquote', options: { trimEmptyLines: true } },
  ],
});

export function htmlToPlainText(html: string): string {
  try {
    return convert(html)
      .replace(/\n{3,}/g, '\n\n')
      .trim();
  } catch {
    // last resort: strip tags
    return html
      .slice(0, MAX_HTML_TO_TEXT_INPUT)
      .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, '')
      .replace(/<br\s*\/?>|<\/(p|div|tr|li|h\d)>/gi, '\n')
      .replace(/<[^>]*>/g, '')
      .replace(/&nbsp;/g, ' ')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
  }
}
