import { employerConfirmationMail, employerReportMail, escapeHtml } from '../src';

const link = 'https://sanad.example/employer/confirm/AbC-123_xyz?lang=en&v=2';
const base = {
  organisationName: 'Acme Foods',
  contactName: 'Layla Haddad',
  jobTitle: 'Warehouse assistant',
  startDate: '2026-12-01',
  link,
  expiresAt: new Date('2026-12-07T10:00:00Z'),
};

const hrefs = (html: string) =>
  [...html.matchAll(/href="([^"]*)"/g)].map((m) => (m[1] ?? '').replace(/&amp;/g, '&'));

describe('employerConfirmationMail', () => {
  it.each(['en', 'ar'] as const)(
    '(%s) puts the exact link in the html and text parts',
    (locale) => {
      const mail = employerConfirmationMail({ ...base, locale });
      expect(hrefs(mail.html)).toEqual([link, link]);
      expect(mail.html).toContain(escapeHtml(link));
      expect(mail.html).not.toContain(link); // the & is escaped in the html
      // the text part has the link alone on its own line
      expect(mail.text.split('\n')).toContain(link);
      expect(mail.subject).toContain('Acme Foods');
      expect(mail.text).toContain('Layla Haddad');
      expect(mail.text).toContain('Warehouse assistant');
    },
  );

  it('writes English, left to right', () => {
    const mail = employerConfirmationMail({ ...base, locale: 'en' });
    expect(mail.subject).toBe('Please confirm a job placement at Acme Foods');
    expect(mail.html).toContain('<html lang="en" dir="ltr">');
    expect(mail.html).toContain('>Open the confirmation form</a>');
    expect(mail.text).toContain('1 December 2026');
    expect(mail.text).toContain('7 December 2026');
  });

  it('writes Arabic, right to left, with the link itself left to right', () => {
    const mail = employerConfirmationMail({ ...base, locale: 'ar' });
    expect(mail.subject).toBe('يرجى تأكيد التوظيف لدى Acme Foods');
    expect(mail.html).toContain('<html lang="ar" dir="rtl">');
    expect(mail.html).toContain('>افتح نموذج التأكيد</a>');
    expect(mail.html).toContain('dir="ltr">');
    expect(mail.text).toContain('تاريخ بدء العمل');
  });

  it.each(['en', 'ar'] as const)('(%s) escapes every interpolated value in the html', (locale) => {
    const mail = employerConfirmationMail({
      ...base,
      locale,
      organisationName: '<script>alert("x")</script> & Sons',
      contactName: '<img src=x onerror=alert(1)>',
      jobTitle: `Cook "head" & 'sous'`,
    });
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('<img');
    expect(mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Sons');
    expect(mail.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(mail.html).toContain('Cook &quot;head&quot; &amp; &#39;sous&#39;');
    // the text part is plain text: the values as they are
    expect(mail.text).toContain('<script>alert("x")</script> & Sons');
  });

  it('has no images, scripts or tracking', () => {
    const { html } = employerConfirmationMail({ ...base, locale: 'en' });
    expect(html).not.toMatch(/<img|<script|<iframe|<link |background-image|url\(/i);
    expect(hrefs(html).every((h) => h === link)).toBe(true);
  });

  it('keeps line breaks out of the subject', () => {
    const mail = employerConfirmationMail({
      ...base,
      locale: 'en',
      organisationName: 'Acme\r\nBcc: someone@example.org',
    });
    expect(mail.subject).not.toMatch(/[\r\n]/);
  });

  it('refuses a link that is not http(s)', () => {
    expect(() =>
      employerConfirmationMail({ ...base, locale: 'en', link: 'javascript:alert(1)' }),
    ).toThrow(/http\(s\)/);
    expect(() => employerConfirmationMail({ ...base, locale: 'en', link: '/relative' })).toThrow(
      /absolute URL/,
    );
  });
});

describe('employerReportMail', () => {
  it.each(['en', 'ar'] as const)('(%s) carries the link and escapes values', (locale) => {
    const mail = employerReportMail({
      locale,
      organisationName: '<b>Acme</b>',
      contactName: 'Layla',
      jobTitle: 'Cook',
      link,
    });
    expect(hrefs(mail.html)).toEqual([link, link]);
    expect(mail.text.split('\n')).toContain(link);
    expect(mail.html).not.toContain('<b>');
    expect(mail.html).toContain('&lt;b&gt;Acme&lt;/b&gt;');
    expect(mail.html).toContain(`dir="${locale === 'ar' ? 'rtl' : 'ltr'}"`);
  });

  it('mentions the expiry only when there is one', () => {
    const without = employerReportMail({ ...base, locale: 'en', expiresAt: undefined });
    const withExpiry = employerReportMail({ ...base, locale: 'en' });
    expect(without.text).not.toContain('expires');
    expect(withExpiry.text).toContain('This link expires on 7 December 2026');
  });
});
