import { describe, expect, it } from 'vitest';
import { validateBookingForm, type BookingFormInput } from './booking-form.js';

const base: BookingFormInput = {
  prenom: 'Camille',
  nom: 'Durand',
  naissance: '12/04/1991',
  telephone: '06 12 34 56 01',
  adresse: '20 quai Hippolyte Rossignol, 77000 Melun',
  pourQui: 'moi',
  prochePrenom: '',
  procheNom: '',
  procheNaissance: '',
};
const context = { phoneRequired: false, relativeIds: [42], today: '2026-11-24' };

describe('validateBookingForm', () => {
  it('accepts the usager’s own details, with the phone in E.164 and the date in ISO form', () => {
    const result = validateBookingForm(base, context);
    expect(result).toEqual({
      ok: true,
      value: {
        firstName: 'Camille',
        lastName: 'Durand',
        birthDate: '1991-04-12',
        phoneNumber: '06 12 34 56 01',
        phoneE164: '+33612345601',
        address: '20 quai Hippolyte Rossignol, 77000 Melun',
        beneficiary: { kind: 'self' },
      },
    });
  });

  it('requires a phone for phone motifs and explains why', () => {
    const result = validateBookingForm({ ...base, telephone: '' }, { ...context, phoneRequired: true });
    expect(result).toEqual({ ok: false, errors: { telephone: expect.stringContaining('par téléphone') as string } });
  });

  it('refuses a malformed phone, a future birth date, an empty name, each with its own message', () => {
    const result = validateBookingForm({ ...base, telephone: '12', naissance: '01/01/2030', prenom: ' ' }, context);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.keys(result.errors).sort()).toEqual(['naissance', 'prenom', 'telephone']);
  });

  it('books for a known relative only, and needs name and birth date for a new one', () => {
    expect(validateBookingForm({ ...base, pourQui: '42' }, context)).toMatchObject({ ok: true, value: { beneficiary: { kind: 'relative', userId: 42 } } });
    expect(validateBookingForm({ ...base, pourQui: '43' }, context)).toMatchObject({ ok: false, errors: { pourQui: expect.any(String) as string } });
    const incomplete = validateBookingForm({ ...base, pourQui: 'nouveau', prochePrenom: 'Noé' }, context);
    expect(incomplete).toMatchObject({ ok: false, errors: { procheNom: expect.any(String) as string, procheNaissance: expect.any(String) as string } });
    expect(validateBookingForm({ ...base, pourQui: 'nouveau', prochePrenom: 'Noé', procheNom: 'Durand', procheNaissance: '2025-08-02' }, context)).toMatchObject({
      ok: true,
      value: { beneficiary: { kind: 'new_relative', firstName: 'Noé', lastName: 'Durand', birthDate: '2025-08-02' } },
    });
  });
});
