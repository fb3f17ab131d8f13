/**
 * What an offer's HTML body may hold (docs/offers.md, "HTML policy"). A letter goes to people outside the
 * bank and is read in mail clients that parse HTML leniently, so the body is checked against a small
 * allow-list and refused, never cleaned: what compliance approves is exactly what is sent. Anything the
 * strict scanner below cannot read (a stray `<`, an unquoted attribute) is refused too, since lenient
 * parsing is where markup hides.
 */

export const HTML_REASONS = [
  'malformed_tag',
  'comment',
  'declaration',
  'forbidden_tag',
  'tag_not_allowed',
  'event_handler',
  'attribute_not_allowed',
  'unquoted_attribute',
  'javascript_url',
  'url_scheme',
  'variable_in_url',
  'unsafe_style',
] as const;
export type HtmlReason = (typeof HTML_REASONS)[number];

/** One thing the policy refuses: where (a character offset in the body), why, and in words. */
export type HtmlProblem = { at: number; reason: HtmlReason; message: string };

/** The elements of a simple letter: text, headings, lists, tables for layout, links and images. */
const ALLOWED_TAGS = new Set([
  'a',
  'b',
  'blockquote',
  'br',
  'div',
  'em',
  'h1',
  'h2',
  'h3',
  'h4',
  'hr',
  'i',
  'img',
  'li',
  'ol',
  'p',
  'small',
  'span',
  'strong',
  'sub',
  'sup',
  'table',
  'tbody',
  'td',
  'th',
  'thead',
  'tr',
  'u',
  'ul',
]);

/** Elements that run code, load other documents or collect input: named in the refusal as such. */
const FORBIDDEN_TAGS = new Set([
  'applet',
  'base',
  'button',
  'embed',
  'form',
  'frame',
  'frameset',
  'iframe',
  'input',
  'link',
  'math',
  'meta',
  'noscript',
  'object',
  'script',
  'select',
  'style',
  'svg',
  'template',
  'textarea',
]);

const GLOBAL_ATTRIBUTES = ['style', 'title', 'align', 'valign', 'width', 'height', 'bgcolor', 'dir', 'lang'];
const TAG_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  a: ['href', 'target'],
  img: ['src', 'alt', 'border'],
  table: ['border', 'cellpadding', 'cellspacing'],
  td: ['colspan', 'rowspan'],
  th: ['colspan', 'rowspan'],
};

/** Links go to the web over TLS, to a mailbox or to a phone; images load over TLS only. */
const URL_SCHEMES: Readonly<Record<string, readonly string[]>> = {
  href: ['https://', 'mailto:', 'tel:'],
  src: ['https://'],
};

const TAG =
  /<(\/?)([A-Za-z][A-Za-z0-9]*)((?:\s+[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*(\/?)>/y;
const ATTRIBUTE = /\s+([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

/** A scheme as a browser would see it: numeric entities decoded, whitespace and controls dropped. */
const schemeOf = (value: string): string =>
  value
    .replace(/&#x([0-9a-f]+);?/gi, (_, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)))
    .replace(/&#(\d+);?/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&colon;/gi, ':')
    .replace(/[\s\p{Cc}]/gu, '')
    .toLowerCase();

function attributeProblems(tag: string, attributes: string, at: number): HtmlProblem[] {
  const problems: HtmlProblem[] = [];
  const problem = (reason: HtmlReason, message: string) => problems.push({ at, reason, message });
  for (const match of attributes.matchAll(ATTRIBUTE)) {
    const name = (match[1] ?? '').toLowerCase();
    const value = match[2] ?? match[3] ?? match[4];
    if (name.startsWith('on')) {
      problem('event_handler', `<${tag}> has the event handler ${name}: letters run no script`);
      continue;
    }
    if (!GLOBAL_ATTRIBUTES.includes(name) && !TAG_ATTRIBUTES[tag]?.includes(name)) {
      problem('attribute_not_allowed', `<${tag}> may not have the attribute ${name}`);
      continue;
    }
    if (value === undefined) continue;
    if (match[4] !== undefined) {
      problem('unquoted_attribute', `<${tag}> ${name}=${value}: quote attribute values ("...")`);
      continue;
    }
    const schemes = URL_SCHEMES[name];
    if (schemes) {
      if (value.includes('{')) {
        problem('variable_in_url', `<${tag}> ${name} holds a variable: a URL is written in full`);
      } else if (/^(javascript|vbscript|data):/.test(schemeOf(value))) {
        problem('javascript_url', `<${tag}> ${name} is a script or data URL`);
      } else if (!schemes.some((s) => value.toLowerCase().startsWith(s))) {
        problem('url_scheme', `<${tag}> ${name} must start with ${schemes.join(' or ')}`);
      }
    }
    if (
      name === 'style' &&
      (value.includes('{') || /expression|url\s*\(|javascript:|@import|behavior/i.test(schemeOf(value)))
    ) {
      problem('unsafe_style', `<${tag}> style may not hold variables, url(), expression() or @import`);
    }
    if (name === 'target' && value !== '_blank') {
      problem('attribute_not_allowed', `<${tag}> target may only be _blank`);
    }
  }
  return problems;
}

/** Every way the body breaks the policy, in order; none means it may be submitted for approval. */
export function htmlPolicyProblems(html: string): HtmlProblem[] {
  const problems: HtmlProblem[] = [];
  let at = html.indexOf('<');
  while (at !== -1) {
    let next = at + 1;
    if (html.startsWith('<!--', at)) {
      problems.push({
        at,
        reason: 'comment',
        message: 'comments are not allowed (they hide content from review)',
      });
      const end = html.indexOf('-->', at + 4);
      next = end === -1 ? html.length : end + 3;
    } else if (html.startsWith('<!', at) || html.startsWith('<?', at)) {
      problems.push({
        at,
        reason: 'declaration',
        message: 'no doctype or declarations: the body is a fragment',
      });
    } else {
      TAG.lastIndex = at;
      const tag = TAG.exec(html);
      if (!tag) {
        problems.push({
          at,
          reason: 'malformed_tag',
          message: 'a "<" that opens no well-formed tag (write &lt; for a less-than sign)',
        });
      } else {
        next = at + tag[0].length;
        const name = (tag[2] ?? '').toLowerCase();
        const attributes = tag[3] ?? '';
        if (FORBIDDEN_TAGS.has(name)) {
          problems.push({ at, reason: 'forbidden_tag', message: `<${name}> is not allowed in a letter` });
        } else if (!ALLOWED_TAGS.has(name)) {
          problems.push({
            at,
            reason: 'tag_not_allowed',
            message: `<${name}> is not among the allowed tags`,
          });
        } else if (tag[1] === '/' && attributes.trim() !== '') {
          problems.push({ at, reason: 'malformed_tag', message: `</${name}> may not have attributes` });
        } else {
          problems.push(...attributeProblems(name, attributes, at));
        }
      }
    }
    at = html.indexOf('<', next);
  }
  return problems;
}
