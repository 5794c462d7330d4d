import { parseEnv } from '@sanad/config';
import { MailEnv } from '../src';

describe('MailEnv', () => {
  it('accepts smtp:// and smtps:// URLs and a From with or without a name', () => {
    expect(
      parseEnv(MailEnv, { SMTP_URL: 'smtp://127.0.0.1:2525', MAIL_FROM: 'no-reply@sanad.example' }),
    ).toEqual({ SMTP_URL: 'smtp://127.0.0.1:2525', MAIL_FROM: 'no-reply@sanad.example' });
    expect(
      parseEnv(MailEnv, {
        SMTP_URL: 'smtps://user:secret@mail.sanad.example:465',
        MAIL_FROM: 'Sanad <no-reply@sanad.example>',
      }).MAIL_FROM,
    ).toBe('Sanad <no-reply@sanad.example>');
  });

  it('names every bad key', () => {
    expect(() =>
      parseEnv(MailEnv, { SMTP_URL: 'http://mail.sanad.example', MAIL_FROM: 'not an address' }),
    ).toThrow(/SMTP_URL: an smtp:\/\/ or smtps:\/\/ URL[\s\S]*MAIL_FROM/);
    expect(() => parseEnv(MailEnv, {})).toThrow(/SMTP_URL[\s\S]*MAIL_FROM/);
  });
});
