import express from 'express';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { designSystemRoutes } from '../src/http/design-system.routes';
import { configureViews, localeMiddleware, staticAssets } from '../src/http/views';
import { languageSwitchHandler, readCookie, translatorFor, type Locale } from '../src/i18n';
import {
  expectNoSeriousA11yViolations,
  focusedElement,
  focusIndicator,
  hasHorizontalScroll,
  launchBrowser,
  newContext,
  recordCspViolations,
  startServer,
  tabTo,
  targetBoxes,
  type ContextOptions,
} from './browser/harness';

/** The policy the web app will send: nothing inline, nothing from elsewhere. */
const STRICT_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "object-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The design system in a bare app: views, locale, static files, a stand-in for the routes' locals. */
function designSystemApp() {
  const app = express();
  configureViews(app);
  app.use((_req, res, next) => {
    res.setHeader('Content-Security-Policy', STRICT_CSP);
    next();
  });
  app.use('/static', staticAssets());
  app.use((req, res, next) => {
    const signedIn = readCookie(req.headers.cookie, 'demo-user') === '1';
    res.locals.csrfToken = 'test';
    res.locals.user = signedIn
      ? { displayName: 'Amal', email: 'amal@example.com', role: 'coach', locale: null }
      : null;
    res.locals.navigation = signedIn
      ? [
          { href: '/design-system', labelKey: 'nav.home', current: true },
          { href: '/design-system?page=placements', labelKey: 'nav.placements', current: false },
          { href: '/design-system?page=account', labelKey: 'nav.account', current: false },
        ]
      : [];
    next();
  });
  app.use(localeMiddleware());
  app.post(
    '/language',
    express.urlencoded({ extended: false, limit: '2kb' }),
    languageSwitchHandler({ secureCookies: false }),
  );
  app.use(designSystemRoutes());
  return app;
}

const LOCALES: Locale[] = ['en', 'ar'];
const WITH_ERRORS = '/design-system?action=check';
/** Everything a person taps; inline links inside sentences are exempt (WCAG 2.5.8). */
const TARGETS = [
  'button',
  'select',
  'textarea',
  'input:not([type="hidden"])',
  '.choice__label',
  '.navigation__link',
  '.header__name',
  '.error-summary__list a',
  '.summary-list__action',
  'a.button',
].join(', ');

let browser: Browser;
let server: Awaited<ReturnType<typeof startServer>>;
let context: BrowserContext | undefined;

beforeAll(async () => {
  browser = await launchBrowser();
  server = await startServer(designSystemApp());
});

afterEach(async () => {
  await context?.close();
  context = undefined;
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(
  path: string,
  options: Omit<ContextOptions, 'baseURL'> & { signedIn?: boolean } = {},
): Promise<Page> {
  context = await newContext(browser, { baseURL: server.baseURL, ...options });
  if (options.signedIn) {
    await context.addCookies([{ name: 'demo-user', value: '1', url: server.baseURL }]);
  }
  const page = await context.newPage();
  const response = await page.goto(path);
  expect(response?.status()).toBe(200);
  return page;
}

describe.each(LOCALES)('design system in %s', (locale) => {
  const t = translatorFor(locale);
  const dir = locale === 'ar' ? 'rtl' : 'ltr';

  it('declares its language and direction, and passes axe without and with errors', async () => {
    const page = await open('/design-system', { lang: locale, signedIn: true });
    expect(await page.locator('html').getAttribute('lang')).toBe(locale);
    expect(await page.locator('html').getAttribute('dir')).toBe(dir);
    expect(await page.title()).toBe(`${t('designSystem.title')} – ${t('site.name')}`);
    await expectNoSeriousA11yViolations(page, `/design-system (${locale})`);

    await page.goto(WITH_ERRORS);
    expect(await page.title()).toBe(
      `${t('forms.errorPrefix')} ${t('designSystem.title')} – ${t('site.name')}`,
    );
    await expectNoSeriousA11yViolations(page, `${WITH_ERRORS} (${locale})`);
  });

  it('makes the skip link the first Tab stop, and it moves focus to the main content', async () => {
    const page = await open('/design-system', { lang: locale });
    await page.keyboard.press('Tab');
    const first = await focusedElement(page);
    expect(first).toMatchObject({
      tagName: 'a',
      href: '#main-content',
      text: t('layout.skipLink'),
    });
    const [box] = await targetBoxes(page, '.skip-link');
    expect(box?.height).toBeGreaterThanOrEqual(44);
    await page.keyboard.press('Enter');
    expect(await focusedElement(page)).toMatchObject({ tagName: 'main', id: 'main-content' });
  });

  it('focuses the error summary on load, and each of its links focuses its field', async () => {
    const page = await open(WITH_ERRORS, { lang: locale });
    const summary = await focusedElement(page);
    expect(summary).toMatchObject({ role: 'alert' });
    expect(summary?.text).toContain(t('forms.errorSummaryTitle'));

    const fields = await page
      .locator('.error-summary__list a')
      .evaluateAll((links) => links.map((link) => link.getAttribute('href')));
    expect(fields).toEqual(['#fullName', '#email', '#role', '#programmeIds']);
    for (const href of fields) {
      await page.goto(WITH_ERRORS);
      await tabTo(page, `.error-summary a[href="${href}"]`, 10);
      await page.keyboard.press('Enter');
      expect((await focusedElement(page))?.id).toBe(href?.slice(1));
    }
    // the first checkbox carries the group's id, so the link lands on it
    expect(await page.locator('#programmeIds').getAttribute('type')).toBe('checkbox');
  });

  it('can be filled in and sent with the keyboard alone', async () => {
    const page = await open('/design-system', { lang: locale });
    await tabTo(page, '#fullName');
    await page.keyboard.type('Amal Al-Harthy');
    await page.keyboard.press('Tab');
    await page.keyboard.type('amal@example.com');
    await tabTo(page, '[name="role"]', 3);
    await page.keyboard.press('ArrowDown'); // radios: arrows move and choose
    await tabTo(page, '#programmeIds', 3);
    await page.keyboard.press('Space');
    await tabTo(page, 'button[name="action"]', 10);
    await page.keyboard.press('Enter');
    await page.waitForURL(/action=check/);
    expect(await page.locator('[role="status"]').textContent()).toContain(
      t('designSystem.form.valid'),
    );
    expect(await page.locator('.error-summary').count()).toBe(0);
    expect(await page.locator('#role-2').isChecked()).toBe(true);
  });

  it('shows a visible focus indicator on every Tab stop', async () => {
    const page = await open(WITH_ERRORS, { lang: locale, signedIn: true });
    await page.locator('.skip-link').focus(); // start from the top, not the error summary
    const missing: string[] = [];
    let stops = 0;
    for (let i = 0; i < 80; i += 1) {
      const focused = await focusedElement(page);
      if (!focused) break;
      stops += 1;
      if (!(await focusIndicator(page)))
        missing.push(`<${focused.tagName}#${focused.id}> ${focused.text}`);
      await page.keyboard.press('Tab');
      if ((await focusedElement(page)) === null) break;
    }
    expect(stops).toBeGreaterThan(20);
    expect(missing).toEqual([]);
  });

  it('gives every target at least 44 by 44 pixels and never scrolls sideways at 320px', async () => {
    for (const width of [1024, 320]) {
      const page = await open(WITH_ERRORS, {
        lang: locale,
        signedIn: true,
        viewport: { width, height: 800 },
      });
      const boxes = await targetBoxes(page, TARGETS);
      expect(boxes.length).toBeGreaterThan(20);
      const small = boxes.filter((b) => b.height < 44 || b.width < 44);
      expect(small).toEqual([]);
      expect(await hasHorizontalScroll(page)).toBe(false);
      await context?.close();
    }
  });

  it('loads under a strict Content-Security-Policy with no violation', async () => {
    context = await newContext(browser, {
      baseURL: server.baseURL,
      lang: locale,
      bypassCSP: false,
    });
    await context.addCookies([{ name: 'demo-user', value: '1', url: server.baseURL }]);
    const violations = await recordCspViolations(context);
    const page = await context.newPage();
    for (const path of ['/design-system', WITH_ERRORS]) {
      await page.goto(path);
      // the stylesheet applied: the skip link is visually hidden until focused
      expect(await targetBoxes(page, '.skip-link')).toEqual([]);
    }
    expect(await violations()).toEqual([]);
  });
});

describe('language switch', () => {
  it('works with no JavaScript, keeps the page and marks each language', async () => {
    const page = await open('/design-system?page=placements', {
      locale: 'en-GB',
      javaScriptEnabled: false,
    });
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    const arabic = page.locator('.language-switch button[lang="ar"]');
    expect(await arabic.textContent()).toBe('العربية');
    await arabic.focus();
    const answer = page.waitForResponse((response) => response.url().endsWith('/language'));
    await page.keyboard.press('Enter');
    const redirect = await answer;
    expect(redirect.status()).toBe(303);
    expect(await redirect.headerValue('location')).toBe('/design-system?page=placements');
    await page.locator('html[lang="ar"]').waitFor({ state: 'attached' });
    expect(page.url()).toBe(`${server.baseURL}/design-system?page=placements`);
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await page.locator('.language-switch button[lang="en"]').textContent()).toBe('English');
  });

  it('follows Accept-Language when there is no cookie', async () => {
    const page = await open('/design-system', { locale: 'ar-OM' });
    expect(await page.locator('html').getAttribute('lang')).toBe('ar');
  });
});
