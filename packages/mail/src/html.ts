/** Escapes text for HTML content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export type Locale = 'ar' | 'en';

/** An http(s) URL, or a throw: a mail never carries a `javascript:` or relative link. */
export function checkedLink(link: string): string {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    throw new Error('the mail link must be an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error('the mail link must be an http(s) URL');
  }
  return link;
}

/** Removes line breaks, so that a value cannot start a new header or paragraph. */
export const oneLine = (value: string): string => value.replace(/[\r\n]+/g, ' ').trim();

export interface MailBody {
  locale: Locale;
  title: string;
  greeting: string;
  paragraphs: string[];
  details: [label: string, value: string][];
  action: { label: string; link: string };
  /** Introduces the address written out, for a reader whose mail program hides the button. */
  copyHint: string;
  notes: string[];
}

/**
 * The HTML part: one column, real text, the link as a link with words, then written out; no
 * images, no tracking, no scripts. Every string given is text and is escaped here.
 */
export function renderHtml(body: MailBody): string {
  const dir = body.locale === 'ar' ? 'rtl' : 'ltr';
  const e = escapeHtml;
  const href = e(body.action.link);
  const details = body.details
    .map(([label, value]) => `      <li><strong>${e(label)}:</strong> ${e(value)}</li>`)
    .join('\n');
  const paragraphs = (list: string[]) => list.map((p) => `    <p>${e(p)}</p>`).join('\n');
  return `<!DOCTYPE html>
<html lang="${body.locale}" dir="${dir}">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${e(body.title)}</title>
  </head>
  <body style="font-family: Arial, Tahoma, sans-serif; font-size: 16px; line-height: 1.5; color: #1a1a1a; background: #ffffff; margin: 0; padding: 16px;">
    <main style="max-width: 600px; margin: 0 auto;">
    <h1 style="font-size: 22px;">${e(body.title)}</h1>
    <p>${e(body.greeting)}</p>
${paragraphs(body.paragraphs)}
    <ul>
${details}
    </ul>
    <p><a href="${href}" style="display: inline-block; padding: 12px 20px; background: #0b5394; color: #ffffff; font-weight: bold; text-decoration: underline;">${e(body.action.label)}</a></p>
    <p>${e(body.copyHint)}<br><a href="${href}" dir="ltr">${e(body.action.link)}</a></p>
${paragraphs(body.notes)}
    </main>
  </body>
</html>
`;
}

/** The text part: the same words; the link alone on its line, with blank lines around it. */
export function renderText(body: MailBody): string {
  return [
    body.greeting,
    '',
    ...body.paragraphs.flatMap((p) => [p, '']),
    ...body.details.map(([label, value]) => `- ${label}: ${value}`),
    '',
    `${body.action.label}:`,
    '',
    body.action.link,
    '',
    ...body.notes.flatMap((p) => [p, '']),
  ].join('\n');
}
