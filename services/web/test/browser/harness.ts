/**
 * Browser test harness: Debian's Chromium driven by playwright-core, axe-core checks and keyboard
 * helpers. One browser per test file, a new context (fresh cookies, storage) per test.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Express } from 'express';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

// The tests' tsconfig has no DOM library: these declare the little that page functions use.
// They run in the browser, where the real globals exist.
interface DomRect {
  x: number;
  y: number;
  width: number;
  height: number;
}
interface DomElement {
  tagName: string;
  id: string;
  textContent: string | null;
  matches(selector: string): boolean;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): DomRect;
  closest(selector: string): DomElement | null;
  labels?: ArrayLike<DomElement> | null;
}
declare const document: {
  activeElement: DomElement | null;
  body: DomElement;
  documentElement: DomElement & { scrollWidth: number; clientWidth: number };
  querySelectorAll(selector: string): ArrayLike<DomElement>;
};
interface DomStyle {
  visibility: string;
  display: string;
  outlineStyle: string;
  outlineWidth: string;
  outlineColor: string;
  boxShadow: string;
  backgroundColor: string;
}
declare const window: {
  getComputedStyle(element: DomElement, pseudo?: string): DomStyle;
  axe: { run(context: unknown, options: unknown): Promise<AxeResults> };
};

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
}

export interface ContextOptions {
  baseURL: string;
  /** Sets the `lang` cookie, as the language switch does. */
  lang?: 'ar' | 'en';
  /** The browser's Accept-Language (default en). */
  locale?: string;
  /**
   * Keep true to inject axe-core whatever the page's CSP says. Set false to test the page under
   * its real Content-Security-Policy (see `recordCspViolations`).
   */
  bypassCSP?: boolean;
  /** False to prove a journey works with no JavaScript at all. */
  javaScriptEnabled?: boolean;
  viewport?: { width: number; height: number };
}

export async function newContext(
  browser: Browser,
  options: ContextOptions,
): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL: options.baseURL,
    bypassCSP: options.bypassCSP ?? true,
    locale: options.locale ?? 'en-GB',
    viewport: options.viewport ?? { width: 1024, height: 768 },
    javaScriptEnabled: options.javaScriptEnabled ?? true,
  });
  if (options.lang) {
    await context.addCookies([{ name: 'lang', value: options.lang, url: options.baseURL }]);
  }
  return context;
}

/** Starts an express app on 127.0.0.1 and a random port. */
export async function startServer(
  app: Express,
): Promise<{ baseURL: string; close(): Promise<void> }> {
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(0, '127.0.0.1', (error?: Error) =>
      error ? reject(error) : resolve(listening),
    );
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

// ---------- axe-core ----------

interface AxeNode {
  target: unknown[];
  failureSummary?: string;
}
interface AxeViolation {
  id: string;
  impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  help: string;
  helpUrl: string;
  nodes: AxeNode[];
}
interface AxeResults {
  violations: AxeViolation[];
}

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
let axeSource: string | undefined;

/** Runs axe-core on the page; returns every violation (all impacts). */
export async function runAxe(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.addScriptTag({ content: axeSource });
  const results = await page.evaluate(
    (values) =>
      window.axe.run(document, { runOnly: { type: 'tag', values }, resultTypes: ['violations'] }),
    AXE_TAGS,
  );
  return results.violations;
}

export function describeViolations(violations: AxeViolation[]): string {
  return violations
    .map((v) => {
      const targets = v.nodes.map((n) => `    - ${n.target.map(String).join(' > ')}`).join('\n');
      return `  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${targets}`;
    })
    .join('\n');
}

/** Fails, listing rule, impact, elements and help, on any serious or critical axe violation. */
export async function expectNoSeriousA11yViolations(page: Page, label: string): Promise<void> {
  const violations = await runAxe(page);
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const minor = violations.filter((v) => !blocking.includes(v));
  if (minor.length)
    console.warn(`axe, ${label}: minor/moderate issues\n${describeViolations(minor)}`);
  if (blocking.length) {
    throw new Error(
      `axe found ${blocking.length} serious or critical violation(s) on ${label}:\n${describeViolations(blocking)}`,
    );
  }
}

// ---------- Keyboard ----------

export interface FocusedElement {
  tagName: string;
  id: string;
  text: string;
  href: string | null;
  name: string | null;
  type: string | null;
  role: string | null;
}

export async function focusedElement(page: Page): Promise<FocusedElement | null> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    return {
      tagName: el.tagName.toLowerCase(),
      id: el.id,
      text: (el.textContent ?? '').replace(/\s+/g, ' ').trim(),
      href: el.getAttribute('href'),
      name: el.getAttribute('name'),
      type: el.getAttribute('type'),
      role: el.getAttribute('role'),
    };
  });
}

/**
 * How the focused element shows focus: an outline of 2px or more, a box shadow, or the focus
 * background. For our checkboxes and radios (a transparent input over a drawn box) it is the box.
 */
export async function focusIndicator(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const drawn = el.matches('.choice__input') ? el.labels?.[0] : undefined;
    const style = drawn ? window.getComputedStyle(drawn, '::before') : window.getComputedStyle(el);
    const transparent = (colour: string) => colour === 'transparent' || colour.endsWith(', 0)');
    if (
      style.outlineStyle !== 'none' &&
      parseFloat(style.outlineWidth) >= 2 &&
      !transparent(style.outlineColor)
    ) {
      return `outline ${style.outlineWidth} ${style.outlineColor}`;
    }
    if (style.boxShadow !== 'none') return `box-shadow ${style.boxShadow}`;
    if (style.backgroundColor === 'rgb(255, 221, 0)') return 'focus background';
    return null;
  });
}

export type FocusPredicate = string | ((focused: FocusedElement) => boolean);

function describe(focused: FocusedElement | null): string {
  if (!focused) return '(body)';
  return `<${focused.tagName}${focused.id ? `#${focused.id}` : ''}> ${focused.text.slice(0, 40)}`;
}

/**
 * Presses Tab (or Shift+Tab) until the focused element matches: a CSS selector, or a predicate on
 * the focused element. Fails listing every stop on the way if it is not reached in maxTabs.
 */
export async function tabTo(
  page: Page,
  predicate: FocusPredicate,
  maxTabs = 50,
  { backwards = false } = {},
): Promise<FocusedElement> {
  const visited: string[] = [];
  for (let i = 0; i < maxTabs; i += 1) {
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    const focused = await focusedElement(page);
    const matches =
      typeof predicate === 'string'
        ? await page.evaluate(
            (selector) => document.activeElement?.matches(selector) ?? false,
            predicate,
          )
        : focused !== null && predicate(focused);
    if (focused && matches) return focused;
    visited.push(describe(focused));
  }
  throw new Error(
    `no focusable element matched ${String(predicate)} within ${maxTabs} tabs; visited:\n  ${visited.join('\n  ')}`,
  );
}

// ---------- Layout ----------

export interface TargetBox {
  element: string;
  width: number;
  height: number;
}

/**
 * The rendered size of every visible element matching the selector, described for messages.
 * Elements hidden (display none, visibility hidden, or a 1px visually-hidden box) are skipped.
 */
export async function targetBoxes(page: Page, selector: string): Promise<TargetBox[]> {
  return page.evaluate((sel) => {
    return Array.from(document.querySelectorAll(sel))
      .filter((el) => {
        const style = window.getComputedStyle(el);
        const box = el.getBoundingClientRect();
        return style.display !== 'none' && style.visibility !== 'hidden' && box.width > 1;
      })
      .map((el) => {
        const box = el.getBoundingClientRect();
        const label = (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 30);
        return {
          element: `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}> ${label}`,
          width: Math.round(box.width * 10) / 10,
          height: Math.round(box.height * 10) / 10,
        };
      });
  }, selector);
}

/** Whether the page scrolls sideways (it must not, down to 320 CSS pixels wide). */
export async function hasHorizontalScroll(page: Page): Promise<boolean> {
  return page.evaluate(
    () => document.documentElement.scrollWidth > document.documentElement.clientWidth,
  );
}

// ---------- Content-Security-Policy ----------

/**
 * Records CSP violations on every page of the context (for contexts with bypassCSP false):
 * inline styles or scripts the strict policy blocked. Call before the first navigation.
 */
export async function recordCspViolations(
  context: BrowserContext,
): Promise<() => Promise<string[]>> {
  const seen: string[] = [];
  await context.exposeBinding('__reportCspViolation', (_source, text: string) => {
    seen.push(text);
  });
  await context.addInitScript(() => {
    const target = globalThis as unknown as {
      addEventListener(type: string, listener: (event: Record<string, unknown>) => void): void;
      __reportCspViolation(text: string): void;
    };
    target.addEventListener('securitypolicyviolation', (event) => {
      target.__reportCspViolation(
        `${String(event.violatedDirective)} blocked ${String(event.blockedURI)} at ${String(event.sourceFile)}:${String(event.lineNumber)}`,
      );
    });
  });
  return async () => [...seen];
}
