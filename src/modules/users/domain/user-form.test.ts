import { describe, expect, it } from 'vitest';
import { checkUserForm, type UserFormInput } from './user-form.js';

const empty: UserFormInput = {
  prenom: '',
  nom: '',
  nomNaissance: '',
  naissance: '',
  email: '',
  telephone: '',
  adresse: '',
  notifSms: true,
  notifEmail: true,
  caisse: '',
  numeroAllocataire: '',
  situationFamiliale: '',
  nombreEnfants: '',
  logement: '',
  numeroDossier: '',
  notes: '',
};
const ALL = ['caisse_affiliation', 'affiliation_number', 'family_situation', 'number_of_children', 'housing', 'case_number', 'notes'] as const;

describe('checkUserForm', () => {
  it('accepts a complete form, normalising the phone and the e-mail', () => {
    const result = checkUserForm(
      { ...empty, prenom: ' Élodie ', nom: 'Lefèvre', nomNaissance: 'Martin', naissance: '25/01/1996', email: 'Elodie@Example.fr', telephone: '0692 12 34 56', caisse: 'caf', nombreEnfants: '2', notes: 'Ligne 1\r\nLigne 2' },
      '2026-11-24',
      ALL,
    );
    expect(result).toMatchObject({
      ok: true,
      value: { firstName: 'Élodie', birthName: 'Martin', birthDate: '1996-01-25', email: 'elodie@example.fr', phoneNumber: '0692 12 34 56', phoneNumberE164: '+262692123456', notes: 'Ligne 1\nLigne 2', social: { caisse_affiliation: 'caf', number_of_children: 2 } },
    });
  });

  it('names every wrong field in French', () => {
    const result = checkUserForm({ ...empty, prenom: 'x\u0007', naissance: '2030-01-01', telephone: '12', email: 'a@b', caisse: 'cnaf', nombreEnfants: '31', logement: 'castle' }, '2026-11-24', ALL);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(['caisse', 'email', 'logement', 'naissance', 'nom', 'nombreEnfants', 'prenom', 'telephone']);
    expect(result.errors.nom).toBe('Saisissez le nom.');
  });

  it('reads only the social fields the territory enables', () => {
    const result = checkUserForm({ ...empty, prenom: 'A', nom: 'B', caisse: 'nonsense', notes: 'ignored' }, '2026-11-24', []);
    expect(result).toMatchObject({ ok: true, value: { social: {}, notes: undefined } });
  });

  it('refuses overlong notes and one-line fields with line breaks', () => {
    const result = checkUserForm({ ...empty, prenom: 'A', nom: 'B', notes: 'x'.repeat(5001), numeroDossier: 'a\nb' }, '2026-11-24', ALL);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(['notes', 'numeroDossier']);
  });
});
