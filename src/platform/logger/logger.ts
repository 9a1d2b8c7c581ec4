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
  'authorization',
  'cookie',
];

const redactPaths = SENSITIVE_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

/** Logger options shared by the process logger and Fastify's. */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: redactPaths, censor: '[masqué]' },
    serializers: {
      // Query strings may carry tokens or search terms: log the path only.
      req: (req: { method: string; url: string; id?: string }) => ({
        id: req.id,
        method: req.method,
        path: req.url.split('?')[0],
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
