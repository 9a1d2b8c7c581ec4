// Return addresses ("retour") end in a Location header: only a local path of printable ASCII is
// ever used, so no input can open a redirect to another site or make the header invalid.

/** Longest return address kept (after percent-encoding); longer ones are dropped. */
export const MAX_RETURN_ADDRESS_LENGTH = 512;

function percentEncode(character: string): string {
  // Buffer turns a lone surrogate into U+FFFD instead of throwing (encodeURIComponent would throw).
  return [...Buffer.from(character, 'utf8')].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

/**
 * The local path to go back to, or undefined: it must start with one `/` (no `//`, no scheme),
 * hold no backslash and no control character; anything outside printable ASCII (spaces, `✓`,
 * emoji) is percent-encoded, and the result is at most MAX_RETURN_ADDRESS_LENGTH characters.
 */
export function safeReturnTo(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > MAX_RETURN_ADDRESS_LENGTH * 3) return undefined;
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return undefined;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f-\u009f]/.test(value)) return undefined;
  let encoded = '';
  for (const character of value) {
    const code = character.codePointAt(0) ?? 0;
    encoded += code > 0x20 && code < 0x7f ? character : percentEncode(character);
  }
  return encoded.length <= MAX_RETURN_ADDRESS_LENGTH ? encoded : undefined;
}
