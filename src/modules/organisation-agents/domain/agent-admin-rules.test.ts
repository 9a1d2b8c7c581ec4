import { describe, expect, it } from 'vitest';
import { checkAgentAccessForm, checkIntervenantForm, leavesNoAdmin, levelsOffered, servicesAfterEdit } from './agent-admin-rules.js';

describe('checkIntervenantForm', () => {
  it('accepts names and services of the territory, sorted without repeats', () => {
    expect(checkIntervenantForm({ prenom: ' Jean  ', nom: 'Dupont-Lefèvre', services: [3, 1, 3] }, [1, 2, 3])).toEqual({ ok: true, value: { firstName: 'Jean', lastName: 'Dupont-Lefèvre', serviceIds: [1, 3] } });
  });

  it('says in French what is missing or wrong, field by field', () => {
    const check = checkIntervenantForm({ prenom: '', nom: 'http://evil.fr', services: [] }, [1]);
    expect(check).toEqual({
      ok: false,
      errors: {
        prenom: 'Saisissez le prénom de l’intervenant.',
        nom: 'Le nom ne peut contenir que des lettres, des espaces, des apostrophes et des tirets.',
        services: 'Choisissez au moins un service.',
      },
    });
  });

  it('refuses a service of another territory and a 10 000-character name', () => {
    const check = checkIntervenantForm({ prenom: 'a'.repeat(10_000), nom: 'Petit', services: [9] }, [1]);
    expect(check.ok).toBe(false);
    if (!check.ok) {
      expect(check.errors.prenom).toMatch(/trop long/);
      expect(check.errors.services).toBe('Choisissez les services dans la liste.');
    }
  });
});

describe('checkAgentAccessForm', () => {
  const intervenant = { accessLevel: 'intervenant' as const, hasEmail: false };
  const basic = { accessLevel: 'basic' as const, hasEmail: true };

  it('offers intervenant only to agents without an address or already intervenants', () => {
    expect(levelsOffered(intervenant)).toEqual(['basic', 'admin', 'intervenant']);
    expect(levelsOffered(basic)).toEqual(['basic', 'admin']);
    expect(checkAgentAccessForm({ niveau: 'intervenant', services: [1] }, basic, [1])).toEqual({
      ok: false,
      errors: { niveau: 'Choisissez le niveau d’accès de l’agent : un agent qui a un compte ne peut pas devenir intervenant.' },
    });
  });

  it('asks an address of an intervenant given access, and cleans it', () => {
    expect(checkAgentAccessForm({ niveau: 'basic', services: [1], email: '' }, intervenant, [1])).toEqual({
      ok: false,
      errors: { email: 'Pour donner accès à Créneau à un intervenant, saisissez son adresse e-mail professionnelle : il recevra une invitation.' },
    });
    expect(checkAgentAccessForm({ niveau: 'admin', services: [1], email: ' Julien.Petit@Departement.fr ' }, intervenant, [1])).toEqual({
      ok: true,
      value: { accessLevel: 'admin', serviceIds: [1], email: 'julien.petit@departement.fr' },
    });
    expect(checkAgentAccessForm({ niveau: 'basic', services: [1], email: 'pas une adresse' }, intervenant, [1]).ok).toBe(false);
  });

  it('keeps an intervenant without an address, and an agent’s address is never asked again', () => {
    expect(checkAgentAccessForm({ niveau: 'intervenant', services: [2], email: 'ignored@x.fr' }, intervenant, [1, 2])).toEqual({ ok: true, value: { accessLevel: 'intervenant', serviceIds: [2], email: null } });
    expect(checkAgentAccessForm({ niveau: 'admin', services: [1] }, basic, [1])).toEqual({ ok: true, value: { accessLevel: 'admin', serviceIds: [1], email: null } });
  });

  it('refuses an unknown level and no service', () => {
    const check = checkAgentAccessForm({ niveau: 'super_admin', services: [] }, basic, [1]);
    expect(check.ok).toBe(false);
    if (!check.ok) {
      expect(check.errors.niveau).toMatch(/niveau d’accès/);
      expect(check.errors.services).toBe('Choisissez au moins un service.');
    }
  });
});

describe('leavesNoAdmin', () => {
  it('refuses only the last admin losing the level', () => {
    expect(leavesNoAdmin({ currentLevel: 'admin', newLevel: 'basic', otherAdmins: 0 })).toBe(true);
    expect(leavesNoAdmin({ currentLevel: 'admin', newLevel: null, otherAdmins: 0 })).toBe(true);
    expect(leavesNoAdmin({ currentLevel: 'admin', newLevel: 'admin', otherAdmins: 0 })).toBe(false);
    expect(leavesNoAdmin({ currentLevel: 'admin', newLevel: null, otherAdmins: 1 })).toBe(false);
    expect(leavesNoAdmin({ currentLevel: 'basic', newLevel: null, otherAdmins: 0 })).toBe(false);
  });
});

describe('servicesAfterEdit', () => {
  it('replaces the territory’s services and keeps the others', () => {
    expect(servicesAfterEdit([1, 7], [2, 3], [1, 2, 3])).toEqual([2, 3, 7]);
    expect(servicesAfterEdit([], [2], [2])).toEqual([2]);
  });
});
