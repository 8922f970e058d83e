// Server-side HTML sanitising for incoming mail: a strict allowlist on top of sanitize-html.
// - no scripts, styles, event handlers, forms, frames, objects, SVG/MathML, meta/base/link;
// - links: http(s)/mailto/tel only, always rel="noopener noreferrer nofollow" target="_blank";
// - images: cid: links go through `cidUrl` (or stay cid: for the caller), small data: images stay,
//   remote images lose their src and keep it in data-remote-src so the UI loads them only on request;
// - inline style attributes are reduced to a list of harmless properties without url()/expression();
// - the class/id markers of mail clients' quote blocks survive so splitHtmlReply can find them.
import sanitizeHtml from 'sanitize-html';

export interface SanitizeOptions {
  /** Rewrites `cid:` image sources; return null to drop the image. Default: keep `cid:…`. */
  cidUrl?: (contentId: string) => string | null;
}

export interface SanitizeResult {
  html: string;
  /** Content-IDs referenced through cid: images (without brackets, as written). */
  cids: string[];
  /** Number of remote images that were blocked. */
  remoteImages: number;
}

// prettier-ignore
const ALLOWED_TAGS = [
  'a', 'abbr', 'acronym', 'address', 'b', 'bdi', 'bdo', 'big', 'blockquote', 'br', 'caption', 'center', 'cite',
  'code', 'col', 'colgroup', 'dd', 'del', 'details', 'dfn', 'div', 'dl', 'dt', 'em', 'figcaption', 'figure', 'font',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img', 'ins', 'kbd', 'li', 'mark', 'ol', 'p', 'pre', 'q', 's',
  'samp', 'small', 'span', 'strike', 'strong', 'sub', 'summary', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th',
  'thead', 'tr', 'tt', 'u', 'ul', 'var', 'wbr',
];

/** Elements whose content is dropped together with the element. */
// prettier-ignore
const NON_TEXT_TAGS = [
  'script', 'style', 'textarea', 'option', 'noscript', 'title', 'head', 'template', 'iframe', 'object', 'embed',
  'applet', 'svg', 'math', 'select', 'button', 'xml', 'frameset', 'noembed', 'noframes',
];

const TABLE_ATTRS = ['align', 'valign', 'width', 'height', 'colspan', 'rowspan', 'bgcolor', 'nowrap'];

const ALLOWED_ATTRIBUTES: Record<string, string[]> = {
  '*': ['style', 'dir', 'lang', 'title', 'align', 'class', 'id'],
  a: ['href', 'name', 'target', 'rel'],
  img: ['src', 'alt', 'width', 'height', 'data-remote-src', 'data-cid', 'border', 'hspace', 'vspace'],
  table: ['border', 'cellpadding', 'cellspacing', 'width', 'height', 'bgcolor', 'align', 'summary'],
  td: TABLE_ATTRS,
  th: TABLE_ATTRS,
  tr: TABLE_ATTRS,
  tbody: TABLE_ATTRS,
  thead: TABLE_ATTRS,
  tfoot: TABLE_ATTRS,
  col: ['span', 'width', 'align', 'valign'],
  colgroup: ['span', 'width', 'align', 'valign'],
  font: ['color', 'size', 'face'],
  ol: ['start', 'type', 'reversed'],
  ul: ['type'],
  li: ['value', 'type'],
  blockquote: ['type', 'cite'],
  q: ['cite'],
  del: ['cite', 'datetime'],
  ins: ['cite', 'datetime'],
  hr: ['width', 'size', 'noshade'],
  details: ['open'],
};

/** Class names and ids that mark quoted history or signatures in the major clients. */
export const QUOTE_CLASSES = [
  'gmail_quote',
  'gmail_quote_container',
  'gmail_attr',
  'gmail_signature',
  'gmail_extra',
  'moz-cite-prefix',
  'moz-signature',
  'moz-forward-container',
  'yahoo_quoted',
  'protonmail_quote',
  'protonmail_signature_block',
  'OutlookMessageHeader',
  'zmail_extra',
  'AppleOriginalContents',
  'WordSection1',
  'fsReplyAbove',
];
export const QUOTE_IDS = ['divRplyFwdMsg', 'appendonsend', 'Signature', 'isForwardContent', 'reply-intro'];
const QUOTE_CLASS_SET = new Set(QUOTE_CLASSES);
const QUOTE_ID_SET = new Set(QUOTE_IDS);

// prettier-ignore
const ALLOWED_STYLE_PROPERTIES = new Set([
  'color', 'background-color', 'background', 'font', 'font-family', 'font-size', 'font-style', 'font-weight',
  'font-variant', 'line-height', 'letter-spacing', 'word-spacing', 'text-align', 'text-decoration',
  'text-decoration-line', 'text-decoration-color', 'text-decoration-style', 'text-indent', 'text-transform',
  'white-space', 'word-break', 'word-wrap', 'overflow-wrap', 'vertical-align', 'direction', 'margin',
  'margin-top', 'margin-right', 'margin-bottom', 'margin-left', 'padding', 'padding-top', 'padding-right',
  'padding-bottom', 'padding-left', 'border', 'border-top', 'border-right', 'border-bottom', 'border-left',
  'border-color', 'border-style', 'border-width', 'border-top-color', 'border-top-style', 'border-top-width',
  'border-right-color', 'border-right-style', 'border-right-width', 'border-bottom-color', 'border-bottom-style',
  'border-bottom-width', 'border-left-color', 'border-left-style', 'border-left-width', 'border-collapse',
  'border-spacing', 'border-radius', 'width', 'height', 'min-width', 'max-width', 'min-height', 'max-height',
  'display', 'list-style-type', 'list-style-position', 'table-layout', 'float', 'clear', 'caption-side',
  'empty-cells', 'text-overflow', 'overflow', 'overflow-x', 'overflow-y',
]);

/** Values that could load something, run something or escape the mail's box. */
const UNSAFE_STYLE_VALUE =
  /url\s*\(|image-set|image\s*\(|expression|javascript:|vbscript:|behavio(u)?r|binding|@import|[\\<>]|\/\*/i;

/** Keeps only allowed `prop: value` declarations of an inline style attribute. */
export function filterStyle(style: string): string {
  const declarations: string[] = [];
  let current = '';
  let quote: string | null = null;
  let parens = 0;
  for (const ch of style) {
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(') parens++;
    else if (ch === ')') parens = Math.max(0, parens - 1);
    else if (ch === ';' && parens === 0) {
      declarations.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  declarations.push(current);
  const kept: string[] = [];
  for (const declaration of declarations) {
    const colon = declaration.indexOf(':');
    if (colon < 0) continue;
    const property = declaration.slice(0, colon).trim().toLowerCase();
    const value = declaration.slice(colon + 1).trim();
    if (!value || !ALLOWED_STYLE_PROPERTIES.has(property) || UNSAFE_STYLE_VALUE.test(value)) continue;
    if (property.startsWith('margin') && /(^|\s)-\s*\d/.test(value)) continue; // no negative margins
    kept.push(`${property}: ${value}`);
  }
  return kept.join('; ');
}

const SAFE_DATA_IMAGE = /^data:image\/(png|gif|jpe?g|webp|bmp);base64,[a-z0-9+/=\s]+$/i;
/** data: images larger than this are dropped (they bloat every page that shows the mail). */
const MAX_DATA_IMAGE_LENGTH = 512 * 1024;

/** Links may only leave for the web, a mail client or a phone. */
const SAFE_HREF = /^(https?:\/\/|mailto:|tel:)/i;

const HTTP_URL = /^\s*(https?:)?\/\//i;

/** Sanitises mail HTML (see the file header). Never throws for any input string. */
export function sanitizeMailHtml(html: string, options: SanitizeOptions = {}): SanitizeResult {
  const cids: string[] = [];
  let remoteImages = 0;

  const output = sanitizeHtml(html, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: ALLOWED_ATTRIBUTES,
    allowedClasses: { '*': QUOTE_CLASSES },
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowedSchemesByTag: { img: ['http', 'https', 'cid', 'data'] },
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    nonTextTags: NON_TEXT_TAGS,
    parseStyleAttributes: false,
    enforceHtmlBoundary: false,
    nestingLimit: 256,
    transformTags: {
      '*': (tagName, attribs) => {
        const next: Record<string, string> = {};
        for (const [name, value] of Object.entries(attribs)) {
          if (name === 'style') {
            const style = filterStyle(value);
            if (style) next.style = style;
          } else if (name === 'id') {
            if (QUOTE_ID_SET.has(value)) next.id = value;
          } else if (name === 'class') {
            const classes = value.split(/\s+/).filter((c) => QUOTE_CLASS_SET.has(c));
            if (classes.length) next.class = classes.join(' ');
          } else if (name === 'data-remote-src' || name === 'data-cid') {
            // only we set these
          } else {
            next[name] = value;
          }
        }
        if (tagName === 'a') {
          if (next.href !== undefined && !SAFE_HREF.test(next.href.replace(/[\u0000-\u0020\u007f]+/g, ''))) {
            delete next.href;
          }
          if (next.href !== undefined) {
            next.target = '_blank';
            next.rel = 'noopener noreferrer nofollow';
          } else {
            delete next.target;
            delete next.rel;
          }
        }
        if (tagName === 'img') {
          const src = (attribs.src ?? '').trim();
          delete next.src;
          if (/^cid:/i.test(src)) {
            const contentId = decodeURIComponentSafe(src.slice(4)).replace(/^<|>$/g, '');
            cids.push(contentId);
            next['data-cid'] = contentId;
            const url = options.cidUrl ? options.cidUrl(contentId) : `cid:${contentId}`;
            if (url) next.src = url;
          } else if (HTTP_URL.test(src)) {
            remoteImages++;
            next['data-remote-src'] = src.startsWith('//') ? `https:${src}` : src;
          } else if (SAFE_DATA_IMAGE.test(src) && src.length <= MAX_DATA_IMAGE_LENGTH) {
            next.src = src;
          }
        }
        return { tagName, attribs: next };
      },
    },
  });
  return { html: output, cids, remoteImages };
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
