/**
 * What the HTTP adapters share: one request with a timeout and a bounded body, and the mapping of
 * transport failures to SmsProviderError kinds. Messages never quote the request (number, text)
 * nor the provider's answer (which may echo them) nor a credential.
 */
import { SmsProviderError, type SmsErrorKind } from './sms-provider.js';

export const DEFAULT_TIMEOUT_MS = 10_000;
/** A provider's answer is a few hundred bytes; anything past this is not read. */
const MAX_RESPONSE_BYTES = 64 * 1024;

export interface HttpContext {
  readonly fetch: typeof fetch;
  readonly timeoutMs: number;
  /** Short provider label for messages: « SMS Factor ». */
  readonly label: string;
}

export interface HttpAnswer {
  readonly status: number;
  readonly text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly json: unknown;
}

/** Joins a base URL (an `endpoint` credential or the provider's default) and an API path. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`;
}

export function basicAuthorization(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

export function providerError(context: HttpContext, kind: SmsErrorKind, explanation: string, providerCode: string | null): SmsProviderError {
  return new SmsProviderError(`${context.label} : ${explanation}${providerCode === null ? '' : ` (${providerCode})`}`, { kind, providerCode });
}

/** Reads at most MAX_RESPONSE_BYTES of a body as UTF-8. */
async function readBoundedText(response: Response): Promise<string> {
  if (response.body === null) return '';
  const declared = Number(response.headers.get('content-length') ?? 'NaN');
  if (Number.isInteger(declared) && declared >= 0 && declared <= MAX_RESPONSE_BYTES) return response.text();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    const bytes: Buffer = Buffer.from(chunk as Uint8Array);
    size += bytes.byteLength;
    if (size > MAX_RESPONSE_BYTES) break;
    chunks.push(bytes);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

/** One HTTP exchange; network errors and timeouts become `transient` SmsProviderErrors. */
export async function exchange(context: HttpContext, url: string, init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string }): Promise<HttpAnswer> {
  const signal = AbortSignal.timeout(context.timeoutMs);
  try {
    const response = await context.fetch(url, { method: init.method, headers: init.headers, body: init.body ?? null, signal, redirect: 'error' });
    const text = await readBoundedText(response);
    return { status: response.status, text, json: parseJson(text) };
  } catch (error) {
    if (isTimeout(error)) throw providerError(context, 'transient', 'délai de réponse dépassé', 'timeout');
    throw providerError(context, 'transient', 'fournisseur injoignable', 'network');
  }
}

/** The usual meaning of an HTTP status when the body says nothing more precise. */
export function kindOfHttpStatus(status: number): SmsErrorKind {
  if (status === 402) return 'no_credit';
  if (status === 401 || status === 403) return 'configuration';
  if (status === 408 || status === 425 || status === 429 || status >= 500) return 'transient';
  return 'configuration';
}

export function explanationOfKind(kind: SmsErrorKind): string {
  switch (kind) {
    case 'recipient':
      return 'numéro refusé par le fournisseur';
    case 'configuration':
      return 'compte ou identifiants refusés';
    case 'no_credit':
      return 'crédit SMS épuisé';
    case 'transient':
      return 'erreur temporaire du fournisseur';
  }
}

/** A plain object's field, or undefined (never throws on hostile input). */
export function field(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return Object.prototype.hasOwnProperty.call(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

/** A finite number from a number or a numeric string (SMS Factor sends credits as "44690"). */
export function toNumber(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value.trim());
  return null;
}

/** `+33612345678` → `33612345678` (international digits, what most APIs want). */
export function internationalDigits(e164: string): string {
  return e164.replace(/^\+/, '');
}
