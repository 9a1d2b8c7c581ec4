import { describe, expect, it } from 'vitest';
import { checkChosenPasswordForm, checkInvitationForm, cleanAgentEmail } from './agent-account-forms.js';

const SERVICES = [1, 2];
const valid = { prenom: '  Anne-Laure ', nom: 'D’Arcy  Le Goff', email: ' Anne.DArcy@Departement77.fr ', niveau: 'basic', service: 2 };

describe('the invitation form', () => {
  it('accepts French names, cleans them and lower-cases the address', () => {
    expect(checkInvitationForm(valid, SERVICES)).toEqual({
      ok: true,
      value: { firstName: 'Anne-Laure', lastName: 'D’Arcy Le Goff', email: 'anne.darcy@departement77.fr', accessLevel: 'basic', serviceId: 2 },
    });
  });

  it('names every missing field in French', () => {
    const result = checkInvitationForm({}, SERVICES);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(['email', 'niveau', 'nom', 'prenom', 'service']);
    expect(result.errors.niveau).toBe('Choisissez le niveau d’accès de l’agent.');
  });

  it('refuses a service outside the territory’s list, and the intervenant level', () => {
    const result = checkInvitationForm({ ...valid, service: 3, niveau: 'intervenant' }, SERVICES);
    expect(result.ok ? {} : result.errors).toEqual({ service: 'Choisissez le service de l’agent dans la liste.', niveau: 'Choisissez le niveau d’accès de l’agent.' });
  });

  it('refuses names with links or control characters, and over-long names', () => {
    for (const prenom of ['www.evil.fr', 'Lu\ncie', 'a'.repeat(101)]) {
      const result = checkInvitationForm({ ...valid, prenom }, SERVICES);
      expect(result.ok ? undefined : result.errors.prenom, prenom).toBeDefined();
    }
  });
});

describe('agent e-mail addresses', () => {
  it('keeps plausible addresses and refuses typing mistakes, spaces and control characters', () => {
    expect(cleanAgentEmail('Prenom.Nom@seine-et-marne.fr')).toEqual({ ok: true, value: 'prenom.nom@seine-et-marne.fr' });
    for (const email of ['', 'sans-arobase.fr', 'a@b', 'a b@exemple.fr', 'a@exemple.fr\r\nBcc: x@y.fr', `${'a'.repeat(250)}@x.fr`]) {
      expect(cleanAgentEmail(email).ok, email).toBe(false);
    }
  });
});

describe('a password chosen twice', () => {
  it('asks for a password, then for the same one in the confirmation', () => {
    expect(checkChosenPasswordForm({})).toEqual({ ok: false, errors: { motDePasse: 'Saisissez un mot de passe.' } });
    expect(checkChosenPasswordForm({ motDePasse: 'une phrase assez longue', confirmation: 'une phrase assez longue ' }).ok).toBe(false);
    expect(checkChosenPasswordForm({ motDePasse: 'x'.repeat(129), confirmation: 'x'.repeat(129) }).ok).toBe(false);
    expect(checkChosenPasswordForm({ motDePasse: 'une phrase assez longue', confirmation: 'une phrase assez longue' })).toEqual({ ok: true, value: { password: 'une phrase assez longue' } });
  });
});
