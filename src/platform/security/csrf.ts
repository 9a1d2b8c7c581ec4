/**
 * CSRF protection for forms: a signed double-submit token (OWASP CSRF Prevention Cheat Sheet,
 * "signed double-submit cookie"), so that anonymous visitors get working forms without a session
 * row. A random value lives in an HttpOnly cookie (`creneau_csrf`, `__Host-creneau_csrf` over
 * https); each rendered form carries `salt.HMAC(key, salt, cookie value, session id)` where the
 * key is derived from SESSION_SECRET and the session id is empty until a session is stored. A
 * fresh salt per page keeps tokens different (BREACH). Once a session exists the token is bound
 * to its id: a new id at sign-in makes the tokens of earlier pages fail, and the pages rendered
 * after it carry fresh ones.
 *
 * Every POST/PUT/PATCH/DELETE must present a valid token in the `_csrf` form field or the
 * `x-csrf-token` header, unless its route opts out with `config: { csrf: false }` (an API
 * authenticated by its own bearer token, a webhook receiver).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpMappedError } from '../http/errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `false` opts the route out of the CSRF check (it must authenticate otherwise). */
    csrf?: boolean;
  }
  interface FastifyRequest {
    /** Per-request CSRF state (set by the security plugin); read through `csrfToken`. */
    csrfState: CsrfRequestState | null;
  }
}

export const CSRF_FIELD_NAME = '_csrf';
export const CSRF_HEADER_NAME = 'x-csrf-token';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const COOKIE_VALUE = /^[A-Za-z0-9_-]{43}$/;

export interface CsrfSettings {
  /** HMAC key, derived from SESSION_SECRET. */
  readonly key: Buffer;
  /** Name of the cookie holding the random value. */
  readonly cookieName: string;
  /** Name of the session cookie, to tell a stored session from a new one. */
  readonly sessionCookieName: string;
  /** Over https: `Secure` (and the `__Host-` name chosen by the caller). */
  readonly secure: boolean;
}

interface CsrfRequestState {
  readonly settings: CsrfSettings;
  readonly reply: FastifyReply;
  /** The random value chosen during this request when the browser sent none. */
  issued?: string;
}

/** A state-changing request arrived without a valid token: answered with a French 403 page. */
export class CsrfRejectedError extends HttpMappedError {
  override name = 'CsrfRejectedError';
  readonly statusCode = 403;
  readonly publicMessage =
    'Le formulaire a expiré ou n’a pas pu être vérifié, par exemple parce que la page est restée ouverte longtemps. Revenez à la page précédente, rechargez-la, puis envoyez de nouveau le formulaire.';
}

function stateOf(request: FastifyRequest): CsrfRequestState {
  if (request.csrfState === null) throw new Error('registerCsrfCheck must be registered before csrfToken is used');
  return request.csrfState;
}

/**
 * The id of the session the token binds to: the stored session's (restored from the cookie, or
 * saved or modified during this request), or '' for a visitor without a session row.
 */
function sessionBinding(request: FastifyRequest, settings: CsrfSettings): string {
  const session = request.session as FastifyRequest['session'] | null | undefined;
  if (session === null || session === undefined || typeof session.sessionId !== 'string') return '';
  const restored = request.cookies[settings.sessionCookieName] === session.encryptedSessionId;
  return restored || session.isSaved() || session.isModified() ? session.sessionId : '';
}

function sign(key: Buffer, salt: string, cookieValue: string, sessionId: string): string {
  return createHmac('sha256', key).update(`csrf\n${salt}\n${cookieValue}\n${sessionId}`).digest('base64url');
}

function cookieValueOf(request: FastifyRequest, settings: CsrfSettings): string | undefined {
  const value = request.cookies[settings.cookieName];
  return value !== undefined && COOKIE_VALUE.test(value) ? value : undefined;
}

/** A token for the forms of this page; sets the random cookie on first use (no database write). */
export function csrfToken(request: FastifyRequest): string {
  const state = stateOf(request);
  const { settings } = state;
  let cookieValue = cookieValueOf(request, settings) ?? state.issued;
  if (cookieValue === undefined) {
    cookieValue = randomBytes(32).toString('base64url');
    state.issued = cookieValue;
    // Like the session cookie: a Secure cookie only on a request known to be https (directly or
    // through a trusted proxy, TRUST_PROXY); otherwise forms fail visibly with 403.
    if (!settings.secure || request.protocol === 'https') {
      state.reply.setCookie(settings.cookieName, cookieValue, { path: '/', httpOnly: true, sameSite: 'lax', secure: settings.secure });
    }
  }
  const salt = randomBytes(12).toString('base64url');
  return `${salt}.${sign(settings.key, salt, cookieValue, sessionBinding(request, settings))}`;
}

/** True when the token was made for this browser's cookie and this session. */
export function isValidCsrfToken(request: FastifyRequest, token: string | undefined): boolean {
  const { settings } = stateOf(request);
  const cookieValue = cookieValueOf(request, settings);
  if (cookieValue === undefined || token === undefined) return false;
  const [salt, signature, ...rest] = token.split('.');
  if (salt === undefined || signature === undefined || rest.length > 0 || salt === '') return false;
  const expected = Buffer.from(sign(settings.key, salt, cookieValue, sessionBinding(request, settings)));
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
export function registerCsrfCheck(app: FastifyInstance, settings: CsrfSettings): void {
  app.decorateRequest('csrfState', null);
  app.addHook('onRequest', (request, reply, done) => {
    request.csrfState = { settings, reply };
    done();
  });
  app.addHook('preValidation', (request, _reply, done) => {
    const isExempt = !UNSAFE_METHODS.has(request.method) || request.routeOptions.config.csrf === false;
    done(isExempt || isValidCsrfToken(request, submittedToken(request)) ? undefined : new CsrfRejectedError());
  });
}
