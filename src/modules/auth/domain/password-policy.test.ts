import { describe, expect, it } from 'vitest';
import { COMMON_PASSWORDS } from './common-passwords.js';
import { buildCommonPasswordList, checkPassword, PASSWORD_RULE_MESSAGES, passwordStem, type PasswordOwner, type PasswordRule } from './password-policy.js';

const JEANNE: PasswordOwner = { email: 'jeanne.martin@example.fr', firstName: 'Jeanne', lastName: 'Martin-Leroy' };

function rulesBroken(password: string, owner: PasswordOwner = JEANNE): PasswordRule[] {
  const check = checkPassword(password, owner);
  return check.ok ? [] : check.violations.map((violation) => violation.rule);
}

describe('password policy', () => {
  it('accepts a long passphrase unrelated to the person', () => {
    expect(checkPassword('cheval agrafe batterie correcte', JEANNE)).toEqual({ ok: true });
    expect(checkPassword('Ma tante habite à Saint-Pierre', JEANNE)).toEqual({ ok: true });
    expect(checkPassword('k7#Vq2!mZ9rT', JEANNE)).toEqual({ ok: true });
  });

  it('refuses fewer than 12 characters, counting accented letters once', () => {
    expect(rulesBroken('Kx9#vq2!mZr')).toEqual(['TOO_SHORT']);
    expect(rulesBroken('éèàùçœ§Kx9#r')).toEqual([]);
  });

  it('refuses more than 128 characters', () => {
    expect(rulesBroken('une phrase très longue '.repeat(6))).toEqual(['TOO_LONG']);
  });

  it.each(['azertyuiop123', 'motdepasse2024!', 'Marseille13013', 'SOLEIL123456', 'doudou.2019!!', 'loulou-loulou', 'Chouchou1234', '2024azerty2024', 'Mot de passe 2024'])(
    'refuses "%s", a common password with digits or punctuation around it',
    (password) => {
      expect(rulesBroken(password)).toContain('TOO_COMMON');
    },
  );

  it.each(['P@ssw0rd2024', 'M0td3p@sse!!', 'S0le1l123456'])('refuses "%s", a common password in leetspeak', (password) => {
    expect(rulesBroken(password)).toContain('TOO_COMMON');
  });

  it('compares without accents or case', () => {
    expect(rulesBroken('Chérie2024!!!')).toEqual(['TOO_COMMON']);
    expect(rulesBroken('ÉTÉ ÉTÉ ÉTÉ 2024')).toEqual(['TOO_COMMON']);
    expect(rulesBroken('MÔTDEPASSE!!!')).toEqual(['TOO_COMMON']);
  });

  it('refuses a common password repeated', () => {
    expect(rulesBroken('soleilsoleil')).toEqual(['TOO_COMMON']);
    expect(rulesBroken('jetaimejetaime')).toEqual(['TOO_COMMON']);
  });

  it.each(['123456789012', '06 12 34 56 78 90', 'abcdefghijkl', 'Bcdefghi1234', 'zzzzzzzzzzzz', 'xyxyxyxyxyxy', 'lkjhgfdsqpoi', 'nbvcxwmlkjhg'])(
    'refuses "%s", a sequence, a repetition or digits only',
    (password) => {
      expect(rulesBroken(password, {})).toEqual(['TOO_SIMPLE']);
    },
  );

  it('refuses the e-mail address, or its local part inside the password', () => {
    expect(rulesBroken('Jeanne.Martin@example.fr', { email: 'jeanne.martin@example.fr' })).toEqual(['SAME_AS_EMAIL']);
    expect(rulesBroken('xx-jmartin75-2024', { email: 'jmartin75@example.fr' })).toEqual(['SAME_AS_EMAIL']);
  });

  it('refuses a password containing the first name, last name or birth name, whatever the case and accents', () => {
    expect(rulesBroken('jeanne-aime-les-fleurs')).toEqual(['CONTAINS_NAME']);
    expect(rulesBroken('les fleurs de LEROY sont belles')).toEqual(['CONTAINS_NAME']);
    expect(rulesBroken('mes vacances chez Dupré', { birthName: 'Dupre' })).toEqual(['CONTAINS_NAME']);
    expect(rulesBroken('Héloïse va au cinéma', { firstName: 'Heloise' })).toEqual(['CONTAINS_NAME']);
  });

  it('counts a three-letter name only as a whole word', () => {
    expect(rulesBroken('Clean air for everyone', { firstName: 'Léa' })).toEqual([]);
    expect(rulesBroken('bonjour lea comment vas-tu', { firstName: 'Léa' })).toEqual(['CONTAINS_NAME']);
  });

  it('gives every broken rule with its French message', () => {
    expect(checkPassword('Jeanne2024', JEANNE)).toEqual({
      ok: false,
      violations: [
        { rule: 'TOO_SHORT', message: 'Le mot de passe doit contenir au moins 12 caractères.' },
        { rule: 'CONTAINS_NAME', message: 'Le mot de passe ne doit pas contenir votre nom ou votre prénom.' },
      ],
    });
    expect(checkPassword('azerty', JEANNE)).toEqual({
      ok: false,
      violations: [
        { rule: 'TOO_SHORT', message: PASSWORD_RULE_MESSAGES.TOO_SHORT },
        { rule: 'TOO_COMMON', message: PASSWORD_RULE_MESSAGES.TOO_COMMON },
      ],
    });
  });

  it('ships a list of several hundred common passwords, French ones included', () => {
    expect(COMMON_PASSWORDS.length).toBeGreaterThanOrEqual(300);
    const list = buildCommonPasswordList(COMMON_PASSWORDS);
    for (const french of ['azerty', 'motdepasse', 'soleil', 'doudou', 'marseille', 'loulou', 'chouchou', 'jetaime']) {
      expect(list.stems.has(french)).toBe(true);
    }
  });

  it('accepts a larger list built from raw entries', () => {
    const list = buildCommonPasswordList(['Tartempion2024!']);
    expect(passwordStem('Tartempion2024!')).toBe('tartempion');
    expect(checkPassword('tartempion123456', {}, list)).toMatchObject({ ok: false, violations: [{ rule: 'TOO_COMMON' }] });
  });
});
