import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/**
 * A cookie jar over `app.inject`: keeps the session cookie between requests and reads the CSRF
 * token of the last page, like a browser filling the form it was given.
 */
export class InjectSession {
  private cookies = new Map<string, string>();
  lastBody = '';

  constructor(private readonly app: FastifyInstance) {}

  private remember(response: LightMyRequestResponse): void {
    for (const cookie of response.cookies) {
      if (cookie.value === '' || (cookie.maxAge !== undefined && cookie.maxAge <= 0)) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    this.lastBody = response.body;
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** GET a page. */
  async get(url: string): Promise<LightMyRequestResponse> {
    const response = await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader() } });
    this.remember(response);
    return response;
  }

  /** POST a form with the CSRF token of the last page (unless one is given). */
  async post(url: string, fields: Record<string, string>): Promise<LightMyRequestResponse> {
    const token = /name="_csrf" value="([^"]+)"/.exec(this.lastBody)?.[1] ?? '';
    const response = await this.app.inject({
      method: 'POST',
      url,
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: token, ...fields }).toString(),
    });
    this.remember(response);
    return response;
  }

  /** Sends a raw body (a repeated field, JSON, another content type) with the session's cookies. */
  async send(method: 'POST' | 'PUT' | 'DELETE', url: string, payload: string | Buffer, contentType: string): Promise<LightMyRequestResponse> {
    const response = await this.app.inject({ method, url, headers: { cookie: this.cookieHeader(), 'content-type': contentType }, payload });
    this.remember(response);
    return response;
  }
}

/** All href values of links whose URL starts with a prefix, HTML entities decoded. */
export function linksStartingWith(html: string, prefix: string): string[] {
  return [...html.matchAll(/href="([^"]+)"/g)]
    .map((match) => (match[1] ?? '').replaceAll('&amp;', '&'))
    .filter((href) => href.startsWith(prefix));
}

/** Hidden fields of the page's forms (CSRF token included), as a browser would send them back. */
export function hiddenFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields[match[1] ?? ''] = (match[2] ?? '').replaceAll('&amp;', '&');
  }
  return fields;
}
