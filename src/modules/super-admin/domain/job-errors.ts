// What the back office shows of a failed background job (ADR 0032): the error's message, without
// the personal data it may quote — e-mail addresses, phone numbers, long digit runs (ids of
// people, IBANs), quoted values — and bounded in length.

export const MAX_SHOWN_ERROR_LENGTH = 200;

/** The message of a job's failure as shown to super admins. */
export function redactJobError(message: string): string {
  const redacted = message
    // eslint-disable-next-line no-control-regex -- controls are replaced, never shown
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')
    .replace(/[^\s@"'«»<>]+@[^\s@"'«»<>]+/g, '[adresse]')
    .replace(/(?:\+|00)?\d(?:[\s.-]?\d){7,}/g, '[numéro]')
    .replace(/"[^"]*"|'[^']*'|«[^»]*»|“[^”]*”/g, '[valeur]')
    .replace(/\s+/g, ' ')
    .trim();
  return redacted.length > MAX_SHOWN_ERROR_LENGTH ? `${redacted.slice(0, MAX_SHOWN_ERROR_LENGTH - 1)}…` : redacted;
}

/** The error message of a pg-boss job's output (`{ message, stack }` or anything else). */
export function jobErrorMessage(output: unknown): string {
  if (typeof output === 'object' && output !== null && 'message' in output && typeof output.message === 'string') return redactJobError(output.message);
  if (typeof output === 'string') return redactJobError(output);
  return 'Erreur sans message';
}
