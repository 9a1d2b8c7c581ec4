/**
 * The password policy (ANSSI "Recommandations relatives à l'authentification multifacteur et aux
 * mots de passe" v2, 2021; CNIL délibération 2022-100): length first, no forced composition
 * rules, no periodic change, and a refusal of passwords that attackers try first — common ones
 * (with the usual digits or punctuation around them), trivial sequences, and the person's own
 * e-mail or name. Pure: the hashing lives in platform/security/passwords.ts.
 */
import { COMMON_PASSWORDS } from './common-passwords.js';

export const PASSWORD_MIN_LENGTH = 12;
/** Long enough for any passphrase, short enough to bound the hashing work of one attempt. */
export const PASSWORD_MAX_LENGTH = 128;

export type PasswordRule = 'TOO_SHORT' | 'TOO_LONG' | 'TOO_COMMON' | 'TOO_SIMPLE' | 'SAME_AS_EMAIL' | 'CONTAINS_NAME';

/** French messages, one per rule, for the sign-up and password-change forms. */
export const PASSWORD_RULE_MESSAGES: Readonly<Record<PasswordRule, string>> = {
  TOO_SHORT: `Le mot de passe doit contenir au moins ${PASSWORD_MIN_LENGTH} caractères.`,
  TOO_LONG: `Le mot de passe ne doit pas dépasser ${PASSWORD_MAX_LENGTH} caractères.`,
  TOO_COMMON: 'Ce mot de passe fait partie des plus utilisés, même avec des chiffres ou des signes ajoutés : il serait deviné facilement.',
  TOO_SIMPLE: 'Ce mot de passe est trop simple : évitez les suites (« abcd », « 1234 »), les répétitions et les mots de passe faits seulement de chiffres.',
  SAME_AS_EMAIL: 'Le mot de passe ne doit pas reprendre votre adresse e-mail.',
  CONTAINS_NAME: 'Le mot de passe ne doit pas contenir votre nom ou votre prénom.',
};

/** Shown under the password field before the person types. */
export const PASSWORD_HINT = `Au moins ${PASSWORD_MIN_LENGTH} caractères. Une phrase de quelques mots, facile à retenir pour vous, est difficile à deviner.`;

export interface PasswordViolation {
  rule: PasswordRule;
  message: string;
}

export type PasswordCheck = { ok: true } | { ok: false; violations: PasswordViolation[] };

/** Who the password belongs to, when known (sign-up form, password change). */
export interface PasswordOwner {
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  birthName?: string | null;
}

/** A normalised set of common passwords; build a larger one from a file with the same function. */
export interface CommonPasswordList {
  readonly stems: ReadonlySet<string>;
}

// Keyboard rows (AZERTY and QWERTY), the alphabet and the digits: a password that is a run of
// one of these, forwards or backwards, is among the first tried.
const SEQUENCES = ['abcdefghijklmnopqrstuvwxyz', '01234567890', 'azertyuiopqsdfghjklmwxcvbn', 'qwertyuiopasdfghjklzxcvbnm', 'qwertzuiopasdfghjklyxcvbnm'].flatMap(
  (sequence) => [sequence, Array.from(sequence).reverse().join('')],
);

const LEET: Readonly<Record<string, string>> = { '@': 'a', '4': 'a', '8': 'b', '3': 'e', '€': 'e', '1': 'i', '!': 'i', '0': 'o', '$': 's', '5': 's', '7': 't', '+': 't' };

/** Lower case, without accents: "Été" and "ete" compare equal. */
function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Removes what people add around a common word: digits, punctuation and spaces at both ends. */
function stripEnds(text: string): string {
  return text.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
}

/** Removes word separators: "mot de passe" and "mot-de-passe" become "motdepasse". */
function compact(text: string): string {
  return text.replace(/[\s._\-'’]+/gu, '');
}

function unleet(text: string): string {
  return Array.from(text, (char) => LEET[char] ?? char).join('');
}

/** The stem of a password as compared with the list: "Azerty123!" → "azerty". */
export function passwordStem(password: string): string {
  return compact(stripEnds(fold(password)));
}

/** Normalises a list of common passwords (raw entries such as "Azerty123" are fine). */
export function buildCommonPasswordList(entries: Iterable<string>): CommonPasswordList {
  const stems = new Set<string>();
  for (const entry of entries) {
    const stem = passwordStem(entry);
    if (stem !== '') stems.add(stem);
  }
  return { stems };
}

const DEFAULT_LIST = buildCommonPasswordList(COMMON_PASSWORDS);

/** The forms of the password an attacker's dictionary would hold. */
function variants(password: string): string[] {
  const folded = fold(password);
  const stem = passwordStem(password);
  return [...new Set([stem, unleet(stem), compact(stripEnds(unleet(folded)))])].filter((variant) => variant !== '');
}

/** Every unit whose repetition makes the text, shortest first ("loulouloulou" → "lou", "loulou"…). */
function repeatedUnits(text: string): string[] {
  const units: string[] = [];
  for (let length = 1; length <= text.length; length += 1) {
    if (text.length % length === 0 && text.slice(0, length).repeat(text.length / length) === text) units.push(text.slice(0, length));
  }
  return units;
}

function isCommon(password: string, list: CommonPasswordList): boolean {
  return variants(password).some((variant) => repeatedUnits(variant).some((unit) => list.stems.has(unit)));
}

function isSimple(password: string): boolean {
  const folded = compact(fold(password));
  if (!/\p{L}/u.test(folded)) return true;
  if (new Set(folded).size <= 3 || (repeatedUnits(folded)[0] ?? folded).length <= 4) return true;
  return variants(password).some((variant) => variant.length >= 4 && SEQUENCES.some((sequence) => sequence.includes(variant)));
}

function reusesEmail(password: string, email: string): boolean {
  const folded = fold(password.trim());
  const foldedEmail = fold(email.trim());
  if (foldedEmail === '') return false;
  if (folded === foldedEmail) return true;
  const localPart = compact(foldedEmail.split('@')[0] ?? '');
  return localPart.length >= 4 && compact(folded).includes(localPart);
}

function containsName(password: string, owner: PasswordOwner): boolean {
  const searched = [compact(fold(password)), ...variants(password)];
  const words = new Set(fold(password).split(/[^\p{L}]+/u));
  const tokens = [owner.firstName, owner.lastName, owner.birthName]
    .flatMap((name) => fold(name ?? '').split(/[^\p{L}]+/u))
    .filter((token) => token.length >= 3);
  // Names of three letters (Léa, Luc) count only as a whole word, or "Clean" would contain "Lea".
  return tokens.some((token) => (token.length >= 4 ? searched.some((text) => text.includes(token)) : words.has(token)));
}

/** Checks a new password against every rule; the violations come in the order of the rules. */
export function checkPassword(password: string, owner: PasswordOwner = {}, list: CommonPasswordList = DEFAULT_LIST): PasswordCheck {
  const length = Array.from(password.normalize('NFKC')).length;
  const broken: PasswordRule[] = [];
  if (length < PASSWORD_MIN_LENGTH) broken.push('TOO_SHORT');
  if (length > PASSWORD_MAX_LENGTH) broken.push('TOO_LONG');
  if (isCommon(password, list)) broken.push('TOO_COMMON');
  else if (isSimple(password)) broken.push('TOO_SIMPLE');
  if (owner.email !== undefined && owner.email !== null && reusesEmail(password, owner.email)) broken.push('SAME_AS_EMAIL');
  if (containsName(password, owner)) broken.push('CONTAINS_NAME');
  if (broken.length === 0) return { ok: true };
  return { ok: false, violations: broken.map((rule) => ({ rule, message: PASSWORD_RULE_MESSAGES[rule] })) };
}
