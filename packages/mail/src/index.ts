export * from './config';
export * from './mailer';
export * from './employer-mails';
export * from './checkin-mails';
export { escapeHtml, type Locale } from './html';
