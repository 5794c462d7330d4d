import { checkedLink, oneLine, renderHtml, renderText, type Locale, type MailBody } from './html';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export interface EmployerConfirmationInput {
  locale: Locale;
  organisationName: string;
  contactName: string;
  jobTitle: string;
  /** The first working day: `YYYY-MM-DD` or a Date (read as a calendar day in UTC). */
  startDate: string | Date;
  /** The signed link to the confirmation form. */
  link: string;
  expiresAt: Date;
  /** The time zone the expiry is written in (default UTC). */
  timeZone?: string;
}

export interface EmployerReportInput {
  locale: Locale;
  organisationName: string;
  contactName: string;
  jobTitle: string;
  /** The signed link to the form to report a change or the end of the placement. */
  link: string;
  expiresAt?: Date;
  timeZone?: string;
}

const DATE_LOCALE: Record<Locale, string> = { ar: 'ar', en: 'en-GB' };

function formatDay(day: string | Date, locale: Locale): string {
  const date = typeof day === 'string' ? new Date(`${day.slice(0, 10)}T00:00:00Z`) : day;
  if (Number.isNaN(date.getTime())) throw new Error('startDate is not a date');
  return new Intl.DateTimeFormat(DATE_LOCALE[locale], {
    dateStyle: 'long',
    timeZone: 'UTC',
  }).format(date);
}

function formatInstant(instant: Date, locale: Locale, timeZone = 'UTC'): string {
  return new Intl.DateTimeFormat(DATE_LOCALE[locale], {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone,
  }).format(instant);
}

function rendered(subject: string, body: MailBody): RenderedMail {
  return { subject: oneLine(subject), text: renderText(body), html: renderHtml(body) };
}

/** The mail to the employer's contact after a coach records a placement: confirm it by the link. */
export function employerConfirmationMail(input: EmployerConfirmationInput): RenderedMail {
  const link = checkedLink(input.link);
  const org = oneLine(input.organisationName);
  const contact = oneLine(input.contactName);
  const job = oneLine(input.jobTitle);
  const start = formatDay(input.startDate, input.locale);
  const expires = formatInstant(input.expiresAt, input.locale, input.timeZone);

  if (input.locale === 'ar') {
    return rendered(`يرجى تأكيد التوظيف لدى ${org}`, {
      locale: 'ar',
      title: 'تأكيد التوظيف',
      greeting: `السيد/السيدة ${contact}،`,
      paragraphs: [
        `سجّل مدرّب التوظيف في سند توظيفًا جديدًا لدى ${org}. نرجو منكم التحقق من التفاصيل وتأكيدها.`,
      ],
      details: [
        ['المسمى الوظيفي', job],
        ['تاريخ بدء العمل', start],
      ],
      action: { label: 'افتح نموذج التأكيد', link },
      copyHint: 'إذا لم يعمل الزر، انسخ هذا العنوان إلى المتصفح:',
      notes: [
        `ينتهي هذا الرابط في ${expires}. إذا وصلتكم رسالة أحدث، فالرابط الذي فيها وحده يعمل.`,
        'إذا لم تكونوا تتوقعون هذه الرسالة، يمكنكم تجاهلها.',
      ],
    });
  }
  return rendered(`Please confirm a job placement at ${org}`, {
    locale: 'en',
    title: 'Confirm a job placement',
    greeting: `Dear ${contact},`,
    paragraphs: [
      `A Sanad job coach has recorded a new placement at ${org}. Please check the details and confirm them.`,
    ],
    details: [
      ['Job title', job],
      ['Start date', start],
    ],
    action: { label: 'Open the confirmation form', link },
    copyHint: 'If the button does not work, copy this address into your browser:',
    notes: [
      `This link expires on ${expires}. If you receive a newer email, only the link in it works.`,
      'If you did not expect this email, you can ignore it.',
    ],
  });
}

/** The mail that gives the employer's contact the link to report a change or the end of a placement. */
export function employerReportMail(input: EmployerReportInput): RenderedMail {
  const link = checkedLink(input.link);
  const org = oneLine(input.organisationName);
  const contact = oneLine(input.contactName);
  const job = oneLine(input.jobTitle);
  const expires = input.expiresAt
    ? formatInstant(input.expiresAt, input.locale, input.timeZone)
    : undefined;

  if (input.locale === 'ar') {
    return rendered(`الإبلاغ عن تغيير أو انتهاء توظيف لدى ${org}`, {
      locale: 'ar',
      title: 'الإبلاغ عن تغيير أو انتهاء التوظيف',
      greeting: `السيد/السيدة ${contact}،`,
      paragraphs: [
        `إذا تغيّر شيء في هذا التوظيف لدى ${org} أو انتهى، يمكنكم إبلاغنا من خلال الرابط أدناه.`,
      ],
      details: [['المسمى الوظيفي', job]],
      action: { label: 'افتح نموذج الإبلاغ', link },
      copyHint: 'إذا لم يعمل الزر، انسخ هذا العنوان إلى المتصفح:',
      notes: [
        ...(expires ? [`ينتهي هذا الرابط في ${expires}.`] : []),
        'احتفظوا بهذه الرسالة لاستخدام الرابط لاحقًا.',
      ],
    });
  }
  return rendered(`Report a change or the end of a placement at ${org}`, {
    locale: 'en',
    title: 'Report a change or the end of a placement',
    greeting: `Dear ${contact},`,
    paragraphs: [
      `If something changes in this placement at ${org}, or it ends, you can tell us with the link below.`,
    ],
    details: [['Job title', job]],
    action: { label: 'Open the report form', link },
    copyHint: 'If the button does not work, copy this address into your browser:',
    notes: [
      ...(expires ? [`This link expires on ${expires}.`] : []),
      'Keep this email to use the link later.',
    ],
  });
}
