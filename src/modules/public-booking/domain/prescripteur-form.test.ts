import { describe, expect, it } from 'vitest';
import { validatePrescripteurForm, type PrescripteurFormInput } from './prescripteur-form.js';

const input: PrescripteurFormInput = {
  prescripteurPrenom: 'Sarah',
  prescripteurNom: 'Lopez',
  prescripteurEmail: 'Sarah.Lopez@asso-melun.fr',
  prescripteurTelephone: '',
  beneficiairePrenom: 'Omar',
  beneficiaireNom: 'Benali',
  beneficiaireTelephone: '06 98 76 54 32',
  beneficiaireNaissance: '',
  beneficiaireEmail: '',
};

describe('validatePrescripteurForm', () => {
  it('accepts both identities and writes the beneficiary’s mobile in E.164', () => {
    expect(validatePrescripteurForm(input, '2026-11-24')).toEqual({
      ok: true,
      value: {
        prescripteur: { firstName: 'Sarah', lastName: 'Lopez', email: 'sarah.lopez@asso-melun.fr', phone: '' },
        beneficiary: { firstName: 'Omar', lastName: 'Benali', phoneE164: '+33698765432', birthDate: null, email: null },
      },
    });
  });

  it('requires a mobile for the beneficiary and the prescripteur’s e-mail', () => {
    const result = validatePrescripteurForm({ ...input, beneficiaireTelephone: '01 64 00 00 01', prescripteurEmail: '' }, '2026-11-24');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.keys(result.errors).sort()).toEqual(['beneficiaireTelephone', 'prescripteurEmail']);
  });
});
