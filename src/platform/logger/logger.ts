import pino, { type LoggerOptions } from 'pino';

/**
 * Personal or sensitive fields never reach the logs: phone numbers, e-mail addresses, names,
 * addresses and the motif (which can reveal health or violence). Listed by key, at any of the
 * first three depths, so that `{ user: { email } }` and `{ email }` are both covered.
 */
const SENSITIVE_KEYS = [
  'email',
  'phone',
  'phoneNumber',
  'phone_number',
  'phoneNumberE164',
  'phone_number_e164',
  'firstName',
  'first_name',
  'lastName',
  'last_name',
  'birthDate',
  'birth_date',
  'address',
  'motif',
  'appointmentTypeName',
  'password',
  'passwordHash',
  'password_hash',
  'token',
  'jeton',
  'motDePasse',
  '_csrf',
  'authorization',
  'cookie',
];

const redactPaths = SENSITIVE_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

/**
 * A path segment that may be a secret: 20 characters or more that are not only lowercase letters
 * and hyphens (page names such as `verifiez-vos-e-mails` stay readable). Link tokens (43
 * characters of base64url), public ids and anything long a client sends are masked.
 */
function isSecretLike(segment: string): boolean {
  return segment.length >= 20 && !/^[a-z-]+$/.test(segment);
}

/**
 * The path of a request as it may be logged, for any method and any path, matched by a route or
 * not: no query string (tokens, search terms), and every token-like segment replaced.
 */
export function loggablePath(url: string): string {
  const path = url.split(/[?#]/, 1)[0] ?? '';
  return path
    .split('/')
    .map((segment) => (isSecretLike(segment) ? '[jeton]' : segment))
    .join('/');
}

/** Logger options shared by the process logger and Fastify's. */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: redactPaths, censor: '[masqué]' },
    serializers: {
      // Query strings may carry tokens or search terms, paths may carry link tokens.
      req: (req: { method: string; url: string; id?: string }) => ({
        id: req.id,
        method: req.method,
        path: loggablePath(req.url),
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  };
}

/** Creates the structured JSON logger. */
export function createLogger(level: string): pino.Logger {
  return pino(loggerOptions(level));
}

export type Logger = pino.Logger;
