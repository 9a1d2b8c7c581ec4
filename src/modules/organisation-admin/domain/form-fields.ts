// Small pure readers shared by the organisation, place and motif forms: each turns what an admin
// typed into a value or a French message (422, input kept, ADR 0012).

export type FieldErrors = Record<string, string>;
export type FormResult<Value> = { readonly ok: true; readonly value: Value } | { readonly ok: false; readonly errors: FieldErrors };

// eslint-disable-next-line no-control-regex -- a one-line field refuses every control character, bidi overrides included
const LINE_CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
// eslint-disable-next-line no-control-regex -- a text area keeps line breaks and tabs only
const TEXT_CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

export type Read<Value> = { readonly ok: true; readonly value: Value } | { readonly ok: false };

/** One line of text, trimmed, inner runs of spaces folded; empty gives null. */
export function oneLine(value: string, max: number): Read<string | null> {
  if (LINE_CONTROL_CHARACTERS.test(value)) return { ok: false };
  const cleaned = value.trim().replace(/ {2,}/g, ' ');
  if (cleaned.length > max) return { ok: false };
  return { ok: true, value: cleaned === '' ? null : cleaned };
}

/** A text area: line breaks kept (CRLF folded), trimmed; empty gives null. */
export function multiLine(value: string, max: number): Read<string | null> {
  const cleaned = value.replace(/\r\n?/g, '\n').trim();
  if (TEXT_CONTROL_CHARACTERS.test(cleaned) || cleaned.length > max) return { ok: false };
  return { ok: true, value: cleaned === '' ? null : cleaned };
}

/** A whole number between min and max (digits only, at most 6); empty gives null. */
export function wholeNumber(value: string, min: number, max: number): Read<number | null> {
  const text = value.trim();
  if (text === '') return { ok: true, value: null };
  if (!/^\d{1,6}$/.test(text)) return { ok: false };
  const number = Number(text);
  return number < min || number > max ? { ok: false } : { ok: true, value: number };
}

/**
 * A number of hours as a French reader types it (« 2 », « 0,5 », « 1.25 »), turned into whole
 * minutes; between min and max hours. Empty gives null.
 */
export function hoursAsMinutes(value: string, minHours: number, maxHours: number): Read<number | null> {
  const text = value.trim().replace(',', '.');
  if (text === '') return { ok: true, value: null };
  if (!/^\d{1,5}(\.\d{1,2})?$/.test(text)) return { ok: false };
  const hours = Number(text);
  if (hours < minHours || hours > maxHours) return { ok: false };
  const minutes = Math.round(hours * 60);
  return { ok: true, value: minutes };
}

/** Minutes shown back as hours, French decimals (« 0,5 »). */
export function minutesAsHours(minutes: number): string {
  const hours = Math.round((minutes / 60) * 100) / 100;
  return String(hours).replace('.', ',');
}

/** One of the keys of a label table. */
export function choiceOf<Key extends string>(value: string, labels: Readonly<Record<Key, string>>): Read<Key> {
  return Object.hasOwn(labels, value) ? { ok: true, value: value as Key } : { ok: false };
}

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** An e-mail address, lower-cased; empty gives null. */
export function emailAddress(value: string): Read<string | null> {
  const text = value.trim().toLowerCase();
  if (text === '') return { ok: true, value: null };
  if (text.length > 254 || LINE_CONTROL_CHARACTERS.test(text) || !EMAIL_PATTERN.test(text)) return { ok: false };
  return { ok: true, value: text };
}

/** Whether a value holds no character a one-line field refuses. */
export function isOneLine(value: string): boolean {
  return !LINE_CONTROL_CHARACTERS.test(value);
}
