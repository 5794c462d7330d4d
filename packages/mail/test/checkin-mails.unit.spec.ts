import { escapeHtml, participantCheckinMail, supervisorCheckinMail } from '../src';

const url = 'https://sanad.example/c/AbC-123_xyz?lang=en&v=2';
const base = { url, expiresAt: new Date('2026-12-07T10:00:00Z'), milestoneDay: 30 };
const supervisor = { ...base, participantName: 'Aisha Al-Rawahi', jobTitle: 'Archive clerk' };

const hrefs = (html: string) =>
  [...html.matchAll(/href="([^"]*)"/g)].map((m) => (m[1] ?? '').replace(/&amp;/g, '&'));

describe('participantCheckinMail', () => {
  it.each(['en', 'ar'] as const)(
    '(%s) puts the exact link in the html and text parts',
    (language) => {
      const mail = participantCheckinMail({ ...base, language });
      expect(hrefs(mail.html)).toEqual([url, url]);
      expect(mail.html).toContain(escapeHtml(url));
      expect(mail.html).not.toContain(url); // the & is escaped in the html
      expect(mail.text.split('\n')).toContain(url);
      expect(mail.text).toContain('30');
    },
  );

  it('writes plain English, left to right, with the expiry', () => {
    const mail = participantCheckinMail({ ...base, language: 'en' });
    expect(mail.subject).toBe('How is your job going? A short question from Sanad');
    expect(mail.html).toContain('<html lang="en" dir="ltr">');
    expect(mail.html).toContain('>Answer the questions</a>');
    expect(mail.text).toContain('You started your job 30 days ago.');
    expect(mail.text).toContain('This link works until 7 December 2026');
  });

  it('writes Arabic, right to left, with the link itself left to right', () => {
    const mail = participantCheckinMail({ ...base, language: 'ar' });
    expect(mail.subject).toBe('كيف يسير عملك؟ سؤال قصير من سند');
    expect(mail.html).toContain('<html lang="ar" dir="rtl">');
    expect(mail.html).toContain('>أجب عن الأسئلة</a>');
    expect(mail.html).toContain('dir="ltr">');
    expect(mail.text).toContain('مرّ 30 يومًا على بدء عملك');
  });

  it('counts days in Arabic as Arabic counts them', () => {
    const text = (milestoneDay: number) =>
      participantCheckinMail({ ...base, milestoneDay, language: 'ar' }).text;
    expect(text(7)).toContain('مرّ 7 أيام');
    expect(text(2)).toContain('مرّ يومين');
    expect(text(90)).toContain('مرّ 90 يومًا');
  });

  it('has no images, scripts or tracking', () => {
    const { html } = participantCheckinMail({ ...base, language: 'en' });
    expect(html).not.toMatch(/<img|<script|<iframe|<link |background-image|url\(/i);
    expect(hrefs(html).every((h) => h === url)).toBe(true);
  });

  it('refuses a link that is not http(s), and a milestone that is not a day', () => {
    expect(() =>
      participantCheckinMail({ ...base, language: 'en', url: 'javascript:alert(1)' }),
    ).toThrow(/http\(s\)/);
    expect(() => participantCheckinMail({ ...base, language: 'en', milestoneDay: 0 })).toThrow(
      /milestoneDay/,
    );
  });
});

describe('supervisorCheckinMail', () => {
  it.each(['en', 'ar'] as const)('(%s) names the participant and the job', (language) => {
    const mail = supervisorCheckinMail({ ...supervisor, language });
    expect(hrefs(mail.html)).toEqual([url, url]);
    expect(mail.text.split('\n')).toContain(url);
    expect(mail.subject).toContain('Aisha Al-Rawahi');
    expect(mail.text).toContain('Archive clerk');
    expect(mail.html).toContain(`dir="${language === 'ar' ? 'rtl' : 'ltr'}"`);
  });

  it('writes English and Arabic', () => {
    expect(supervisorCheckinMail({ ...supervisor, language: 'en' }).subject).toBe(
      'How is Aisha Al-Rawahi doing at work? A short question from Sanad',
    );
    expect(supervisorCheckinMail({ ...supervisor, language: 'ar' }).subject).toBe(
      'كيف يسير عمل Aisha Al-Rawahi؟ سؤال قصير من سند',
    );
  });

  it('leaves the job title out when there is none', () => {
    const mail = supervisorCheckinMail({ ...supervisor, jobTitle: undefined, language: 'en' });
    expect(mail.text).not.toContain('Job title');
    expect(mail.text).toContain('- Employee: Aisha Al-Rawahi');
  });

  it.each(['en', 'ar'] as const)('(%s) escapes the name and job in the html', (language) => {
    const mail = supervisorCheckinMail({
      ...supervisor,
      language,
      participantName: '<script>alert("x")</script>',
      jobTitle: `Cook "head" & 'sous'`,
    });
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(mail.html).toContain('Cook &quot;head&quot; &amp; &#39;sous&#39;');
  });

  it('keeps line breaks out of the subject', () => {
    const mail = supervisorCheckinMail({
      ...supervisor,
      language: 'en',
      participantName: 'Aisha\r\nBcc: someone@example.org',
    });
    expect(mail.subject).not.toMatch(/[\r\n]/);
  });
});
