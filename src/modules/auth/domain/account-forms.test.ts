import { describe, expect, it } from 'vitest';
import { checkSignUpForm } from './account-forms.js';

const valid = { prenom: 'Inès', nom: 'N’Diaye-Martin', email: 'ines@example.fr', motDePasse: 'Lune-Orange-Velo-2026' };

describe('sign-up form', () => {
  it('accepts the names of French people as typed, trimmed', () => {
    const result = checkSignUpForm({ ...valid, prenom: '  Marie   Thérèse ' });
    expect(result.ok && result.value.firstName).toBe('Marie Thérèse');
  });

  it.each(['Inès\nBcc: x@y.fr', 'https://evil.example', 'Inès\u0000', 'é'.repeat(101)])('refuses the name %j with a French field message', (prenom) => {
    const result = checkSignUpForm({ ...valid, prenom });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.prenom).toMatch(/^Votre prénom/);
  });
});
