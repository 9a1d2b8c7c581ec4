/**
 * CSRF protection for forms (synchronizer token pattern, OWASP CSRF Prevention Cheat Sheet):
 * a random secret lives in the server-side session; each rendered form carries a token made of
 * a fresh salt and HMAC(secret, salt), so the token differs on every page (BREACH) yet needs no
 * storage. Every POST/PUT/PATCH/DELETE must present a valid token in the `_csrf` form field or
 * the `x-csrf-token` header, unless its route opts out with `config: { csrf: false }` (an API
 * authenticated by its own bearer token, a webhook receiver).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpMappedError } from '../http/errors.js';

declare module 'fastify' {
  interface Session {
    /** Secret from which CSRF tokens are derived; renewed with the session id at sign-in. */
    csrfSecret?: string;
  }
  interface FastifyContextConfig {
    /** `false` opts the route out of the CSRF check (it must authenticate otherwise). */
    csrf?: boolean;
  }
}

export const CSRF_FIELD_NAME = '_csrf';
export const CSRF_HEADER_NAME = 'x-csrf-token';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A state-changing request arrived without a valid token: answered with a French 403 page. */
export class CsrfRejectedError extends HttpMappedError {
  override name = 'CsrfRejectedError';
  readonly statusCode = 403;
  readonly publicMessage =
    'Le formulaire a expiré ou n’a pas pu être vérifié, par exemple parce que la page est restée ouverte longtemps. Revenez à la page précédente, rechargez-la, puis envoyez de nouveau le formulaire.';
}

function sign(secret: string, salt: string): string {
  return createHmac('sha256', secret).update(salt).digest('base64url');
}

/** A token for the forms of this page; creates the session's secret on first use. */
export function csrfToken(request: FastifyRequest): string {
  let secret = request.session.get('csrfSecret');
  if (secret === undefined) {
    secret = randomBytes(32).toString('base64url');
    request.session.set('csrfSecret', secret);
  }
  const salt = randomBytes(12).toString('base64url');
  return `${salt}.${sign(secret, salt)}`;
}

/** True when the token was made from this session's secret. */
export function isValidCsrfToken(request: FastifyRequest, token: string | undefined): boolean {
  const secret = request.session.get('csrfSecret');
  if (secret === undefined || token === undefined) return false;
  const [salt, signature, ...rest] = token.split('.');
  if (salt === undefined || signature === undefined || rest.length > 0 || salt === '') return false;
  const expected = Buffer.from(sign(secret, salt));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function submittedToken(request: FastifyRequest): string | undefined {
  const body: unknown = request.body;
  if (typeof body === 'object' && body !== null && CSRF_FIELD_NAME in body) {
    const field: unknown = (body as Record<string, unknown>)[CSRF_FIELD_NAME];
    if (typeof field === 'string') return field;
  }
  const header = request.headers[CSRF_HEADER_NAME];
  return typeof header === 'string' ? header : undefined;
}

/**
 * Checks every state-changing request once its body is parsed and before its schema is
 * validated (`preValidation`), so a forged request never reaches validation or a handler.
 */
export function registerCsrfCheck(app: FastifyInstance): void {
  app.addHook('preValidation', (request, _reply, done) => {
    const isExempt = !UNSAFE_METHODS.has(request.method) || request.routeOptions.config.csrf === false;
    done(isExempt || isValidCsrfToken(request, submittedToken(request)) ? undefined : new CsrfRejectedError());
  });
}
