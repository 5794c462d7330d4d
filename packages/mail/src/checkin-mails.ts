import type { RenderedMail } from './employer-mails';
import { checkedLink, oneLine, renderHtml, renderText, type Locale, type MailBody } from './html';

/**
 * The invitations to answer a check-in by a signed link: one to the participant (about their own
 * job), one to their supervisor (about the participant's work). Short sentences in plain words,
 * because many readers use a screen reader or read in a second language. The participant's name
 * is not in their own mail (a phone's lock screen shows the subject), nor anything about disability.
 */

export interface ParticipantCheckinMailInput {
  language: Locale;
  /** The signed link to the check-in form. */
  url: string;
  expiresAt: Date;
  /** Days since the start of the job: 7, 30, 90... */
  milestoneDay: number;
  /** The time zone the expiry is written in (default UTC). */
  timeZone?: string;
}

export interface SupervisorCheckinMailInput extends ParticipantCheckinMailInput {
  /** The person the supervisor is asked about. */
  participantName: string;
  jobTitle?: string | null;
}

const DATE_LOCALE: Record<Locale, string> = { ar: 'ar', en: 'en-GB' };

function formatInstant(instant: Date, language: Locale, timeZone = 'UTC'): string {
  if (Number.isNaN(instant.getTime())) throw new Error('expiresAt is not a date');
  return new Intl.DateTimeFormat(DATE_LOCALE[language], {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone,
  }).format(instant);
}

function checkedDay(day: number): number {
  if (!Number.isInteger(day) || day < 1) throw new Error('milestoneDay must be a whole day >= 1');
  return day;
}

/** "after 30 days" in words a reader says aloud; Arabic counts 1, 2 and 3..10 differently. */
function sinceStart(day: number, language: Locale): string {
  if (language === 'en') return day === 1 ? '1 day' : `${day} days`;
  if (day === 1) return 'يوم واحد';
  if (day === 2) return 'يومين';
  if (day <= 10) return `${day} أيام`;
  return `${day} يومًا`;
}

function rendered(subject: string, body: MailBody): RenderedMail {
  return { subject: oneLine(subject), text: renderText(body), html: renderHtml(body) };
}

/** The participant's invitation to say how their job is going. */
export function participantCheckinMail(input: ParticipantCheckinMailInput): RenderedMail {
  const link = checkedLink(input.url);
  const day = checkedDay(input.milestoneDay);
  const expires = formatInstant(input.expiresAt, input.language, input.timeZone);

  if (input.language === 'ar') {
    return rendered('كيف يسير عملك؟ سؤال قصير من سند', {
      locale: 'ar',
      title: 'كيف يسير عملك؟',
      greeting: 'مرحبًا،',
      paragraphs: [
        `مرّ ${sinceStart(day, 'ar')} على بدء عملك. نريد أن نعرف كيف تسير الأمور.`,
        'الأسئلة قليلة وقصيرة. تحتاج إلى خمس دقائق تقريبًا. لا توجد إجابة صحيحة أو خاطئة.',
        'يقرأ إجاباتك مدرّب العمل الخاص بك فقط، ليساعدك إذا احتجت إلى ذلك.',
      ],
      details: [['الأيام منذ بدء العمل', String(day)]],
      action: { label: 'أجب عن الأسئلة', link },
      copyHint: 'إذا لم يعمل الزر، انسخ هذا العنوان إلى المتصفح:',
      notes: [
        `يعمل هذا الرابط حتى ${expires}، ومرة واحدة فقط.`,
        'إذا احتجت إلى مساعدة، تواصل مع مدرّب العمل الخاص بك.',
      ],
    });
  }
  return rendered('How is your job going? A short question from Sanad', {
    locale: 'en',
    title: 'How is your job going?',
    greeting: 'Hello,',
    paragraphs: [
      `You started your job ${sinceStart(day, 'en')} ago. We would like to know how it is going.`,
      'There are only a few short questions. It takes about five minutes. There are no right or wrong answers.',
      'Only your job coach reads your answers, to help you if you need it.',
    ],
    details: [['Days since you started', String(day)]],
    action: { label: 'Answer the questions', link },
    copyHint: 'If the button does not work, copy this address into your browser:',
    notes: [
      `This link works until ${expires}, and only once.`,
      'If you need help, contact your job coach.',
    ],
  });
}

/** The supervisor's invitation to say how the participant is doing at work. */
export function supervisorCheckinMail(input: SupervisorCheckinMailInput): RenderedMail {
  const link = checkedLink(input.url);
  const day = checkedDay(input.milestoneDay);
  const expires = formatInstant(input.expiresAt, input.language, input.timeZone);
  const name = oneLine(input.participantName);
  const job = input.jobTitle ? oneLine(input.jobTitle) : null;

  if (input.language === 'ar') {
    return rendered(`كيف يسير عمل ${name}؟ سؤال قصير من سند`, {
      locale: 'ar',
      title: `كيف يسير عمل ${name}؟`,
      greeting: 'مرحبًا،',
      paragraphs: [
        `مرّ ${sinceStart(day, 'ar')} على بدء ${name} العمل معكم. نرجو أن تخبرونا كيف يسير العمل.`,
        'الأسئلة قليلة وقصيرة، عن الحضور والمهام والعلاقات في العمل. تحتاج إلى خمس دقائق تقريبًا.',
        'يقرأ إجاباتكم مدرّب العمل، ليقدّم الدعم في الوقت المناسب.',
      ],
      details: [
        ['الموظف', name],
        ...(job ? [['المسمى الوظيفي', job] as [string, string]] : []),
        ['الأيام منذ بدء العمل', String(day)],
      ],
      action: { label: 'أجب عن الأسئلة', link },
      copyHint: 'إذا لم يعمل الزر، انسخ هذا العنوان إلى المتصفح:',
      notes: [
        `يعمل هذا الرابط حتى ${expires}، ومرة واحدة فقط.`,
        'إذا لم تكونوا تتوقعون هذه الرسالة، يمكنكم تجاهلها.',
      ],
    });
  }
  return rendered(`How is ${name} doing at work? A short question from Sanad`, {
    locale: 'en',
    title: `How is ${name} doing at work?`,
    greeting: 'Hello,',
    paragraphs: [
      `${name} started working with you ${sinceStart(day, 'en')} ago. Please tell us how it is going.`,
      'There are only a few short questions, about attendance, tasks and relations at work. It takes about five minutes.',
      'The job coach reads your answers, to give support in good time.',
    ],
    details: [
      ['Employee', name],
      ...(job ? [['Job title', job] as [string, string]] : []),
      ['Days since the start', String(day)],
    ],
    action: { label: 'Answer the questions', link },
    copyHint: 'If the button does not work, copy this address into your browser:',
    notes: [
      `This link works until ${expires}, and only once.`,
      'If you did not expect this email, you can ignore it.',
    ],
  });
}
