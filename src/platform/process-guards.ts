/**
 * Process-level guards, installed first by every entry point (web and worker).
 *
 * Why: a rejected promise nobody awaits — a session-store callback's query failing after the
 * response was sent is how it happened — makes Node 20 end the process (`--unhandled-rejections=
 * throw`), so one bad request stopped the service for everybody. A rejection does not leave the
 * process in an unknown state: it is logged and the process keeps serving (SECURITY.md,
 * Availability). A synchronous exception outside any handler is different: Node cannot tell what
 * it interrupted halfway, so it is logged and the process exits, for the supervisor to restart.
 */
import type { Logger } from './logger/logger.js';

type Listener = (reason: unknown) => void;

/** The part of `process` the guards use; tests pass an EventEmitter. */
export interface GuardedProcess {
  on(event: 'unhandledRejection' | 'uncaughtException', listener: Listener): unknown;
  off(event: 'unhandledRejection' | 'uncaughtException', listener: Listener): unknown;
}

export interface ProcessGuardOptions {
  logger: Pick<Logger, 'error' | 'fatal'>;
  target?: GuardedProcess;
  /** Called after an uncaught exception has been logged. */
  exit?: (code: number) => void;
}

/** What is logged of a rejection: its type, code, message with contact details masked, and frames. */
export interface DescribedReason {
  type: string;
  code?: string;
  message: string;
  stack?: string[];
}

const EMAIL = /[^\s@"'<>(),;]+@[^\s@"'<>(),;]+/g;
// phone numbers, NIR, IBAN digits…: six digits or more, possibly separated by spaces, dots or dashes
const LONG_NUMBER = /\+?\d(?:[\s.-]?\d){5,}/g;

/** Error messages may quote a value (a database error, an e-mail): mask what could identify someone. */
function maskMessage(message: string): string {
  return message.replace(EMAIL, '[courriel masqué]').replace(LONG_NUMBER, '[nombre masqué]').slice(0, 500);
}

/**
 * Describes a rejection reason without personal data. The error object itself is not logged:
 * database errors carry the offending row (`detail`) and the query's parameters.
 */
export function describeReason(reason: unknown): DescribedReason {
  if (!(reason instanceof Error)) return { type: typeof reason, message: '(raison qui n’est pas une Error)' };
  const code = 'code' in reason && typeof reason.code === 'string' ? reason.code : undefined;
  const stack = reason.stack
    ?.split('\n')
    .filter((line) => line.trimStart().startsWith('at '))
    .slice(0, 15)
    .map((line) => line.trim());
  return {
    type: reason.name,
    ...(code === undefined ? {} : { code }),
    message: maskMessage(reason.message),
    ...(stack === undefined ? {} : { stack }),
  };
}

/** Installs the guards; returns a function that removes them (tests). */
export function installProcessGuards(options: ProcessGuardOptions): () => void {
  const target = options.target ?? process;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const onRejection: Listener = (reason) => {
    options.logger.error({ reason: describeReason(reason) }, 'promesse rejetée sans gestionnaire ; le processus continue');
  };
  const onException: Listener = (error) => {
    options.logger.fatal({ reason: describeReason(error) }, 'exception non interceptée ; arrêt du processus');
    exit(1);
  };
  target.on('unhandledRejection', onRejection);
  target.on('uncaughtException', onException);
  return () => {
    target.off('unhandledRejection', onRejection);
    target.off('uncaughtException', onException);
  };
}
