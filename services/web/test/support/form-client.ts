/**
 * A browser without a browser: keeps cookies, follows nothing by itself, and fills in the CSRF token
 * from the last page it read, as a person's browser would send it with a form.
 */
export class FormClient {
  readonly cookies = new Map<string, string>();
  private lastCsrf: string | undefined;

  constructor(readonly baseUrl: string) {}

  async get(path: string): Promise<Page> {
    return this.request('GET', path);
  }

  /** Posts a form; the `_csrf` of the last page is added unless `csrf: false` or given. */
  async post(
    path: string,
    fields: Record<string, string | string[]>,
    { csrf = true } = {},
  ): Promise<Page> {
    const body = new URLSearchParams();
    if (csrf && this.lastCsrf && !('_csrf' in fields)) body.append('_csrf', this.lastCsrf);
    for (const [key, value] of Object.entries(fields)) {
      for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
    }
    return this.request('POST', path, body);
  }

  /** GET a page and post its form, like opening it and pressing the button. */
  async submit(
    path: string,
    fields: Record<string, string | string[]>,
    action = path,
  ): Promise<Page> {
    await this.get(path);
    return this.post(action, fields);
  }

  private async request(method: string, path: string, body?: URLSearchParams): Promise<Page> {
    const res = await fetch(new URL(path, this.baseUrl), {
      method,
      redirect: 'manual',
      headers: {
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body,
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const [name = '', value = ''] = pair.split('=');
      const expired = attributes.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || value === '') this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value.trim());
    }
    const html = await res.text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    if (csrf) this.lastCsrf = csrf;
    return {
      status: res.status,
      location: res.headers.get('location'),
      html,
      headers: res.headers,
    };
  }
}

export interface Page {
  status: number;
  location: string | null;
  html: string;
  headers: Headers;
}

/** The texts of the error summary's links, in order. */
export const errorSummaryOf = (html: string): string[] => {
  const summary =
    /class="error-summary[\s\S]*?<\/div>\s*<\/div>|class="error-summary[\s\S]*?<\/ul>/.exec(
      html,
    )?.[0] ?? '';
  return [...summary.matchAll(/<a href="#([^"]+)"/g)].map((m) => m[1] as string);
};
